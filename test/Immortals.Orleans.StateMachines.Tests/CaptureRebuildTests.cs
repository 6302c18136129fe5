using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>
/// Every scenario in both builds, captured after every call it makes, rebuilt from bytes on a fresh owner and
/// finished, must produce the results and side effects of the run straight through.
/// </summary>
public sealed class CaptureRebuildTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    public static TheoryData<string, string> Scenarios()
    {
        var data = new TheoryData<string, string>();
        foreach (var build in WorkflowBuilds.Names)
        {
            foreach (var scenario in WorkflowBuilds.Load(build).Scenarios)
            {
                data.Add(build, scenario);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rebuilt_run_matches_straight_run(string build, string scenario) => AssertRebuildsAtEveryStep(build, scenario);

    [Theory(Skip = "Enumerators of foreach loops over collections are not stored: List<T>.Enumerator has no codec, "
        + "and a copy would need its list to stay the rebuilt list and its version to match that list.")]
    [MemberData(nameof(Builds))]
    public void Foreach_over_list_rebuilds(string build) => AssertRebuildsAtEveryStep(build, "foreach");

    private void AssertRebuildsAtEveryStep(string build, string scenario)
    {
        var driver = fixture.Driver;
        var straight = driver.RunStraight(build, scenario);
        Assert.True(straight.Completions > 0, "the scenario makes no call");
        Assert.DoesNotContain(straight.Results, r => r.StartsWith("fault", StringComparison.Ordinal));

        for (var step = 0; step < straight.Completions; step++)
        {
            var checkpoint = driver.RunAndCapture(build, scenario, step);
            Assert.NotNull(checkpoint);

            var fromBytes = driver.Load(driver.Save(checkpoint));
            var resumed = driver.Resume(fromBytes);

            Assert.Equal($"step {step}: {straight.Describe()}", $"step {step}: {resumed.Describe()}");
            Assert.Equal(straight.Completions - step, resumed.Completions);
        }
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Finally_and_dispose_run_once(string build)
    {
        var straight = fixture.Driver.RunStraight(build, "try-finally");
        Assert.Equal(1, straight.Journal.Count(e => e == "finally"));

        for (var step = 0; step < straight.Completions; step++)
        {
            var resumed = fixture.Driver.Resume(fixture.Driver.RunAndCapture(build, "try-finally", step)!);

            Assert.Equal(1, resumed.Journal.Count(e => e == "finally"));
            Assert.Equal(1, resumed.Journal.Count(e => e == "dispose db"));
            Assert.DoesNotContain("dispose db again", resumed.Journal);
            Assert.Equal("finally", resumed.Journal[^1]);
        }
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Catch_runs_for_failure_after_rebuild(string build)
    {
        // Step 0: the method is suspended on the call that will fail; the failure arrives after the rebuild.
        var checkpoint = fixture.Driver.RunAndCapture(build, "try-catch", 0)!;
        Assert.DoesNotContain(checkpoint.Journal, e => e.StartsWith("caught", StringComparison.Ordinal));

        var resumed = fixture.Driver.Resume(checkpoint);

        Assert.Equal(["caught call 1 failed: first"], resumed.Journal.Where(e => e.StartsWith("caught", StringComparison.Ordinal)));
        Assert.Equal("recovered 2", resumed.Results[0]);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Values_keep_types_and_identity(string build)
    {
        var straight = fixture.Driver.RunStraight(build, "values");

        // orders and sameOrders are one list: one add through each name and one in an inner frame.
        Assert.Contains(" 3 True <2> ", straight.Results[0]);
        for (var step = 0; step < straight.Completions; step++)
        {
            var resumed = fixture.Driver.Resume(fixture.Driver.RunAndCapture(build, "values", step)!);
            Assert.Equal(straight.Results, resumed.Results);
        }
    }

    public static TheoryData<string> Builds() => new(WorkflowBuilds.Names);
}
