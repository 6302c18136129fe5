using Azure.Core;
using Azure.Core.Pipeline;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// Lets one matching request reach the server and then throws an <see cref="IOException"/> in place of its
/// response, as a dropped connection would. The Azure SDK's retry policy then sends the request again.
/// </summary>
/// <remarks>Added per retry, so it sits inside the SDK's retry loop.</remarks>
internal sealed class LoseResponsePolicy : HttpPipelinePolicy
{
    private Func<HttpMessage, bool>? _match;
    private Func<HttpMessage, Exception>? _failure;
    private Func<HttpMessage, bool>? _unsent;

    /// <summary>Number of responses this policy has dropped.</summary>
    public int Dropped { get; private set; }

    /// <summary>
    /// Makes the policy drop the response of the next request that <paramref name="match"/> accepts, raising the
    /// exception that <paramref name="failure"/> creates, or an <see cref="IOException"/> when it is null.
    /// </summary>
    public void DropNext(Func<HttpMessage, bool> match, Func<HttpMessage, Exception>? failure = null)
    {
        _match = match;
        _failure = failure;
    }

    /// <summary>Creates the exception that Azure.Core raises when a request exceeds its network timeout.</summary>
    public static Exception Timeout(HttpMessage message) =>
        new TaskCanceledException(
            $"Simulated network timeout of {message.Request.Method} {message.Request.Uri.Path}.",
            new TimeoutException("The operation was cancelled because it exceeded the configured timeout."));

    /// <summary>
    /// Makes every request that <paramref name="match"/> accepts fail before it is sent, until called with null.
    /// </summary>
    public void FailUnsent(Func<HttpMessage, bool>? match) => _unsent = match;

    /// <summary>Adds a policy to client options and makes their retries fast.</summary>
    public static LoseResponsePolicy AddTo(ClientOptions options)
    {
        var policy = new LoseResponsePolicy();
        options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxRetries = 3;
        return policy;
    }

    /// <summary>Accepts requests that write a table entity: inserts, replacements and merges, not table creation.</summary>
    public static bool IsEntityWrite(HttpMessage message) =>
        (message.Request.Method == RequestMethod.Put
            || message.Request.Method == RequestMethod.Post
            || message.Request.Method == RequestMethod.Patch
            || message.Request.Method.Method == "MERGE")
        && !message.Request.Uri.Path.EndsWith("/Tables", StringComparison.Ordinal);

    /// <summary>Accepts requests that upload a blob.</summary>
    public static bool IsBlobUpload(HttpMessage message) =>
        message.Request.Method == RequestMethod.Put && message.Request.Headers.Contains("x-ms-blob-type");

    /// <summary>Accepts requests that delete something.</summary>
    public static bool IsDelete(HttpMessage message) => message.Request.Method == RequestMethod.Delete;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        FailIfUnsent(message);
        await ProcessNextAsync(message, pipeline);
        DropIfMatched(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        FailIfUnsent(message);
        ProcessNext(message, pipeline);
        DropIfMatched(message);
    }

    private void FailIfUnsent(HttpMessage message)
    {
        if (_unsent is { } match && match(message))
        {
            throw new IOException($"Simulated connection failure before {message.Request.Method} was sent.");
        }
    }

    private void DropIfMatched(HttpMessage message)
    {
        if (_match is not { } match || !match(message))
        {
            return;
        }

        _match = null;
        Dropped++;
        if (_failure is { } failure)
        {
            throw failure(message);
        }

        throw new IOException(
            $"Simulated loss of the {message.Response.Status} response to {message.Request.Method} " +
            $"{message.Request.Uri.Path}.");
    }
}
