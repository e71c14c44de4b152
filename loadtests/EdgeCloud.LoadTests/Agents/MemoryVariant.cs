using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>One idle agent started with some runtime settings, and its memory at the end of the settle window and of the idle window.</summary>
internal sealed record MemoryVariant
{
    /// <summary>E.g. "DOTNET_GCConserveMemory=9", or "default (no DOTNET_* set)".</summary>
    public required string Label { get; init; }

    /// <summary>From the agents' start to this one's node Ready, in milliseconds.</summary>
    public required double ReadyMs { get; init; }

    public required ProcessMemory? AtSettle { get; init; }

    public required ProcessMemory? AtEnd { get; init; }

    public JsonObject ToJson() => new()
    {
        ["label"] = Label,
        ["readyMs"] = ReadyMs,
        ["atSettle"] = AtSettle?.ToJson(),
        ["atEndOfIdleWindow"] = AtEnd?.ToJson(),
    };
}
