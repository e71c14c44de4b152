namespace EdgeCloud.LoadTests.Agents;

/// <summary>The command line of <c>agent</c>.</summary>
internal sealed record AgentBenchArguments
{
    /// <summary>Clients creating the measured pods concurrently (the "moderate concurrency").</summary>
    public const int Clients = 8;

    /// <summary>Pods a node admits (the agent's NodeFacts.MaxPods, kubelet's default).</summary>
    public const int MaxPods = 110;

    /// <summary>Running pods of the "with pods" memory sample (a Deployment of that many replicas).</summary>
    public const int MemoryPods = 10;

    /// <summary>Smaller windows and counts: under two minutes.</summary>
    public required bool Quick { get; init; }

    /// <summary>Bare pods of the apply-to-Running measurement, created once by <see cref="Clients"/> clients and once by one. Defaults to 100 (20 with --quick).</summary>
    public required int Pods { get; init; }

    /// <summary>From Ready to the idle memory sample. Defaults to 60 s (20 s with --quick).</summary>
    public required TimeSpan Settle { get; init; }

    /// <summary>The idle uplink window, which starts 5 s after Ready. Defaults to 180 s (60 s with --quick).</summary>
    public required TimeSpan UplinkWindow { get; init; }

    /// <summary>From the 10 pods Running to the "with pods" memory sample. Defaults to 30 s (10 s with --quick).</summary>
    public required TimeSpan PodsSettle { get; init; }

    /// <summary>Where agent-bench.json and agent-bench.md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    public static AgentBenchArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        if (BenchCommandLine.Parse(args, ["--quick"], new Dictionary<string, int> { ["--pods"] = MaxPods }, out error) is not { } line)
        {
            return null;
        }

        var quick = line.Has("--quick");
        return new AgentBenchArguments
        {
            Quick = quick,
            Pods = line.Count("--pods") ?? (quick ? 20 : 100),
            Settle = TimeSpan.FromSeconds(quick ? 20 : 60),
            UplinkWindow = TimeSpan.FromSeconds(quick ? 60 : 180),
            PodsSettle = TimeSpan.FromSeconds(quick ? 10 : 30),
            OutputDirectory = line.OutputDirectory,
        };
    }
}
