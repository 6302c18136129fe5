using Orleans.Configuration;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>Orleans membership settings of the silo processes: Orleans' defaults, or probe timeouts tuned down.</summary>
internal sealed class MembershipProfile
{
    private MembershipProfile(string name, Action<ClusterMembershipOptions> configure)
    {
        Name = name;
        Configure = configure;
    }

    /// <summary>Orleans 10.4.2 defaults: 5 s probe timeout, 3 missed probes, 2 votes, 60 s table refresh.</summary>
    public static MembershipProfile Defaults { get; } = new("defaults", _ => { });

    /// <summary>Probe timeout 0.5 s, 2 missed probes, 1 vote, table refresh and I-am-alive every 1 s.</summary>
    public static MembershipProfile Tuned { get; } = new("tuned", options =>
    {
        options.ProbeTimeout = TimeSpan.FromMilliseconds(500);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
    });

    /// <summary>Name in tables and on the command line.</summary>
    public string Name { get; }

    /// <summary>Applies the settings.</summary>
    public Action<ClusterMembershipOptions> Configure { get; }

    /// <summary>
    /// Time a new silo needs to reach the probe period of a running cluster. Orleans 10.4.2 probes each monitored
    /// silo once per probe timeout, and uses <see cref="ClusterMembershipOptions.ProbeTimeout"/> as that timeout
    /// until it has 4 response times of the silo. From then on its phi accrual failure detector estimates the
    /// timeout from them, which on a fast network falls to <see cref="ClusterMembershipOptions.MinProbeTimeout"/>
    /// (half the probe timeout by default). Six probe timeouts cover the 4 probes and a random first delay.
    /// </summary>
    public TimeSpan SteadyProbingDelay
    {
        get
        {
            var options = new ClusterMembershipOptions();
            Configure(options);
            return options.ProbeTimeout * 6;
        }
    }

    /// <summary>Returns the profile named <paramref name="name"/>.</summary>
    public static MembershipProfile Parse(string name) => name switch
    {
        "defaults" => Defaults,
        "tuned" => Tuned,
        _ => throw new ArgumentException($"Unknown membership profile '{name}'.", nameof(name)),
    };
}
