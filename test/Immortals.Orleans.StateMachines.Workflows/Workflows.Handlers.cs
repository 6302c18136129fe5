using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Scenarios with try/catch, try/finally, using, and awaits inside catch and finally.</summary>
public sealed partial class Workflows
{
    /// <summary>A catch around an await whose call fails.</summary>
    public async Task<string> TryCatchAsync()
    {
        var attempts = 0;
        var result = "none";
        try
        {
            attempts++;
            var value = await Calls.Call<int>("fail", "first");
            result = "unexpected " + value;
        }
        catch (InvalidOperationException error)
        {
            Journal.Add("caught " + error.Message);
            result = "recovered";
        }

        var after = await Calls.Call<int>("inc", attempts);
        return $"{result} {after}";
    }

    /// <summary>A finally and a using around awaits.</summary>
    public async Task<string> TryFinallyAsync()
    {
        var total = 0;
        try
        {
            Journal.Add("enter");
            total += await Calls.Call<int>("inc", 1);
            using (var resource = new Resource("db"))
            {
                total += await Calls.Call<int>("square", 3);
                Journal.Add("using body " + resource.Name);
            }

            total += await Calls.Call<int>("inc", total);
        }
        finally
        {
            Journal.Add("finally");
        }

        return "total " + total;
    }

    /// <summary>Awaits inside catch and finally blocks, one finally with an exception pending.</summary>
    public async Task<string> AwaitInHandlersAsync()
    {
        var log = "start";
        try
        {
            try
            {
                await Calls.Call<int>("fail", "inner");
            }
            catch (InvalidOperationException error)
            {
                var repaired = await Calls.Call<string>("text", error.Message.Length);
                log += " repaired " + repaired;
            }
            finally
            {
                await Calls.Send("note", "cleanup");
                Journal.Add("cleanup done");
            }

            log += " after";
            try
            {
                await Calls.Call<int>("fail", "outer");
            }
            finally
            {
                var raised = await Calls.Call<int>("inc", 5);
                Journal.Add("finally with pending exception " + raised);
            }
        }
        catch (InvalidOperationException error)
        {
            log += " outer caught " + error.Message;
        }

        return log;
    }
}
