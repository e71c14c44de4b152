namespace EdgeCloud.LoadTests.Agents;

/// <summary>What one run of the agent benchmark measured.</summary>
internal sealed record AgentBenchResult
{
    public required double ServerStartupMs { get; init; }

    /// <summary>From the agent's process start to its node Ready, in milliseconds.</summary>
    public required double AgentReadyMs { get; init; }

    /// <summary>The trivial .NET process of the same run (waits on stdin), at the settle point.</summary>
    public required ProcessMemory? Baseline { get; init; }

    /// <summary>The measured agent (no DOTNET_* set) idle, at the end of the settle window.</summary>
    public required ProcessMemory? Idle { get; init; }

    /// <summary>The same agent at the end of the idle (uplink) window.</summary>
    public required ProcessMemory? IdleEnd { get; init; }

    /// <summary>The agent's largest resident mappings at the idle sample (file, or anonymous memory), bytes.</summary>
    public required IReadOnlyList<KeyValuePair<string, long>> IdleMappings { get; init; }

    /// <summary>The edge-agent executable measured.</summary>
    public required string AgentExecutable { get; init; }

    /// <summary>Agent CPU over the idle window, milliseconds per second.</summary>
    public required double IdleCpuMsPerSecond { get; init; }

    /// <summary>The agent with <see cref="AgentBenchArguments.MemoryPods"/> pods Running, after the pods' settle window.</summary>
    public required ProcessMemory? WithPods { get; init; }

    /// <summary>The agent right after the concurrently created pods were all Running.</summary>
    public required ProcessMemory? WithMeasuredPods { get; init; }

    /// <summary>Other idle agents of the same run, each with some GC setting.</summary>
    public required IReadOnlyList<MemoryVariant> Variants { get; init; }

    /// <summary>Null when ss could not be read.</summary>
    public required UplinkResult? Uplink { get; init; }

    public string? UplinkError { get; init; }

    public required StartLatencyResult Concurrent { get; init; }

    public required StartLatencyResult Sequential { get; init; }
}
