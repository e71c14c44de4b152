using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>The agent benchmark's summary lines, agent-bench.json and agent-bench.md.</summary>
internal static partial class AgentBenchmark
{
    private const double IdleRssTargetMiB = 30;
    private const double CreateToRunningP99TargetMs = 1_000;
    private const double UplinkTargetKbitPerSecond = 0.1;

    // Published figures quoted by issue 6, not measured here.
    private const double K3sAgentMiB = 275;
    private const double KubeEdgeEdgeCoreMiB = 70;
    private const double KubeEdgeUplinkKbitPerSecond = 0.25;

    private static IEnumerable<string> Summarize(AgentBenchArguments arguments, AgentBenchResult r)
    {
        yield return "";
        yield return $"== edge-agent memory (process runtime; VmRSS, and PSS/private from smaps_rollup) ==";
        yield return $"agent            {r.AgentExecutable}{(Environment.GetEnvironmentVariable("EDGECLOUD_BENCH_AGENT") is { Length: > 0 } ? " (EDGECLOUD_BENCH_AGENT)" : " (framework-dependent build beside the load tests)")}";
        yield return $"baseline         {r.Baseline?.ToString() ?? "n/a"}  (trivial .NET console program waiting on stdin, same run)";
        yield return $"idle             {r.Idle?.ToString() ?? "n/a"}  ({arguments.Settle.TotalSeconds:0} s after Ready)";
        if (r.IdleMappings.Count > 0)
        {
            yield return $"  where (RSS)    {string.Join(", ", r.IdleMappings.Select(static m => $"{Path.GetFileName(m.Key)} {ProcessMemory.MiB(m.Value)}"))} MiB";
        }

        yield return $"idle, later      {r.IdleEnd?.ToString() ?? "n/a"}  ({(UplinkGrace + arguments.UplinkWindow).TotalSeconds:0} s after Ready); CPU {F(r.IdleCpuMsPerSecond)} ms/s";
        yield return $"{AgentBenchArguments.MemoryPods} pods         {r.WithPods?.ToString() ?? "n/a"}  (Deployment Running for {arguments.PodsSettle.TotalSeconds:0} s)";
        yield return $"{r.Concurrent.Pods} pods {(r.Concurrent.Pods < 100 ? " " : "")}       {r.WithMeasuredPods?.ToString() ?? "n/a"}  (right after the bare pods were all Running)";
        if (r.Idle is { } idle && r.Baseline is { } baseline)
        {
            yield return $"ratio            idle agent / baseline: RSS {F((double)idle.RssBytes / baseline.RssBytes)}x, private {(idle.PrivateBytes is { } ip && baseline.PrivateBytes is { } bp && bp > 0 ? F((double)ip / bp) + "x" : "n/a")}; agent minus baseline: {ProcessMemory.MiB(idle.RssBytes - baseline.RssBytes)} MiB RSS";
            yield return $"external         K3s agent {K3sAgentMiB:0} MB, KubeEdge EdgeCore ~{KubeEdgeEdgeCoreMiB:0} MB (published figures quoted by issue 6, NOT measured here): {F(K3sAgentMiB * 1048576 / idle.RssBytes)}x and {F(KubeEdgeEdgeCoreMiB * 1048576 / idle.RssBytes)}x our idle RSS";
        }

        yield return "";
        yield return $"== idle agents with runtime settings (same run, same moments; RSS / private MiB at {arguments.Settle.TotalSeconds:0} s after Ready, then at the end of the idle window) ==";
        yield return $"{"default (no DOTNET_* set)",-58} {Mem(r.Idle)}  ->  {Mem(r.IdleEnd)}";
        foreach (var v in r.Variants)
        {
            var delta = v.AtEnd is { } end && r.IdleEnd is { } main ? $"  ({(end.RssBytes - main.RssBytes) / 1048576.0:+0.0;-0.0} MiB RSS vs default)" : "";
            yield return $"{v.Label,-58} {Mem(v.AtSettle)}  ->  {Mem(v.AtEnd)}{delta}";
        }

        yield return "";
        yield return $"== apply-to-Running: bare pods with a nodeSelector for the agent's node (scheduler + agent) ==";
        foreach (var (name, s) in new[] { ($"{AgentBenchArguments.Clients} clients", r.Concurrent), ("sequential", r.Sequential) })
        {
            yield return $"{name,-16} {s.Running}/{s.Pods} Running, all in {F(s.AllRunningSeconds)} s; creates {F(s.Create.PerSecond)}/s p50 {F(s.Create.Latency.P50Ms)} ms p99 {F(s.Create.Latency.P99Ms)} ms";
            yield return $"  create-to-bound    {Latency(s.CreateToBound)}";
            yield return $"  bound-to-Running   {Latency(s.BoundToRunning)}  (the agent's share)";
            yield return $"  create-to-Running  {Latency(s.CreateToRunning)}";
        }

        yield return "";
        yield return "== idle uplink: the agent's TCP connection(s) to the cloud (ss -tin: bytes_acked, segs_out) ==";
        if (r.Uplink is { } u)
        {
            yield return $"window           {u.WindowSeconds:0} s idle (Ready, no pod changes), {u.Delta.Connections} connection(s); {u.Delta.BytesAcked:N0} bytes sent in {u.Delta.SegmentsOut:N0} segments, {u.Delta.BytesReceived:N0} bytes received";
            yield return $"uplink           {F(u.PayloadBytesPerMinute)} B/min = {u.PayloadKbitPerSecond:0.000} kbit/s TCP payload (TLS included); {F(u.WireBytesPerMinute)} B/min = {u.WireKbitPerSecond:0.000} kbit/s with IP/TCP headers (estimated: {TcpCounters.HeaderBytesPerSegment} B x segments)";
            yield return $"downlink         {F(u.DownlinkBytesPerMinute)} B/min TCP payload";
            yield return $"bursts           {u.Bursts.Count} in {u.WindowSeconds:0} s (lease renewals every 10 s: {u.WindowSeconds / 10:0}, tunnel keepalives every 15 s: {u.WindowSeconds / 15:0}; some coincide); bytes sent per burst: {Sizes(u.Bursts)}";
            yield return $"external         KubeEdge reports {KubeEdgeUplinkKbitPerSecond} kbit/s per node (published, NOT measured here)";
        }
        else
        {
            yield return $"n/a: {r.UplinkError}";
        }

        yield return "";
        yield return $"startup          edgecloud serving after {F(r.ServerStartupMs)} ms; edge-agent Ready {F(r.AgentReadyMs)} ms after its start (started together with {r.Variants.Count} other agents)";
        yield return "";
        yield return "== Targets ==";
        foreach (var (name, passed, value, goal) in Targets(r))
        {
            yield return $"{(passed ? "PASS" : "FAIL")}  {name,-36} {value,16}  (goal {goal})";
        }
    }

    private static IEnumerable<(string Name, bool Passed, string Value, string Goal)> Targets(AgentBenchResult r)
    {
        var idle = r.Idle is { } m ? m.RssBytes / 1048576.0 : (double?)null;
        yield return ("idle agent RSS", idle < IdleRssTargetMiB, idle is { } i ? $"{i:0.0} MiB" : "n/a", $"< {IdleRssTargetMiB:0} MiB");
        foreach (var (name, s) in new[] { ($"create-to-Running p99, {AgentBenchArguments.Clients} clients", r.Concurrent), ("create-to-Running p99, sequential", r.Sequential) })
        {
            var p99 = s.CreateToRunning?.P99Ms;
            yield return (name, p99 < CreateToRunningP99TargetMs && s.Running == s.Pods, p99 is { } p ? $"{F(p)} ms" : "n/a", $"< {F(CreateToRunningP99TargetMs)} ms, all Running");
        }

        var uplink = r.Uplink?.WireKbitPerSecond;
        yield return ("idle uplink, with IP/TCP headers", uplink <= UplinkTargetKbitPerSecond, uplink is { } k ? $"{k:0.000} kbit/s" : "n/a", $"<= {UplinkTargetKbitPerSecond} kbit/s");
    }

    private static JsonObject Report(AgentBenchArguments arguments, AgentBenchResult r, DateTimeOffset started, TimeSpan duration, string? loadAtStart, string? loadAtEnd) => new()
    {
        ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["loadAverageAtStart"] = loadAtStart, ["loadAverageAtEnd"] = loadAtEnd },
        ["startedAt"] = started.ToString("O", CultureInfo.InvariantCulture),
        ["durationSeconds"] = duration.TotalSeconds,
        ["settings"] = new JsonObject
        {
            ["mode"] = arguments.Quick ? "quick" : "full",
            ["runtime"] = "process",
            ["pods"] = arguments.Pods,
            ["clients"] = AgentBenchArguments.Clients,
            ["settleSeconds"] = arguments.Settle.TotalSeconds,
            ["uplinkWindowSeconds"] = arguments.UplinkWindow.TotalSeconds,
            ["podsSettleSeconds"] = arguments.PodsSettle.TotalSeconds,
        },
        ["agentExecutable"] = r.AgentExecutable,
        ["serverStartupMs"] = r.ServerStartupMs,
        ["agentReadyMs"] = r.AgentReadyMs,
        ["memory"] = new JsonObject
        {
            ["baseline"] = r.Baseline?.ToJson(),
            ["idle"] = r.Idle?.ToJson(),
            ["idleEndOfWindow"] = r.IdleEnd?.ToJson(),
            ["idleLargestMappings"] = new JsonObject(r.IdleMappings.Select(static m => new KeyValuePair<string, JsonNode?>(m.Key, m.Value))),
            ["withDeploymentPods"] = r.WithPods?.ToJson(),
            ["withMeasuredPods"] = r.WithMeasuredPods?.ToJson(),
            ["idleToBaselineRssRatio"] = r.Idle is { } i && r.Baseline is { } b ? (double)i.RssBytes / b.RssBytes : null,
            ["variants"] = new JsonArray([.. r.Variants.Select(static v => (JsonNode)v.ToJson())]),
            ["externalNotMeasured"] = new JsonObject { ["k3sAgentMB"] = K3sAgentMiB, ["kubeEdgeEdgeCoreMB"] = KubeEdgeEdgeCoreMiB },
        },
        ["idleCpuMsPerSecond"] = r.IdleCpuMsPerSecond,
        ["applyToRunning"] = new JsonObject { ["concurrent"] = r.Concurrent.ToJson(), ["sequential"] = r.Sequential.ToJson() },
        ["uplink"] = r.Uplink?.ToJson(),
        ["uplinkError"] = r.UplinkError,
        ["uplinkExternalNotMeasured"] = new JsonObject { ["kubeEdgeKbitPerSecond"] = KubeEdgeUplinkKbitPerSecond },
        ["targets"] = new JsonArray([.. Targets(r).Select(static t => (JsonNode)new JsonObject { ["name"] = t.Name, ["value"] = t.Value, ["goal"] = t.Goal, ["verdict"] = t.Passed ? "PASS" : "FAIL" })]),
    };

    private static string Markdown(AgentBenchArguments arguments, AgentBenchResult r, IEnumerable<string> lines, DateTimeOffset started, TimeSpan duration, string? loadAtStart, string? loadAtEnd)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# EdgeCloud edge-agent benchmark ({(arguments.Quick ? "quick" : "full")})").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {started:yyyy-MM-dd HH:mm} UTC, {duration.TotalSeconds:0} s, on {Environment.ProcessorCount} CPUs; load average {loadAtStart ?? "?"} at start, {loadAtEnd ?? "?"} at end. A real edgecloud and a real edge-agent (process runtime), each in its own data directory.").AppendLine();
        md.AppendLine("## Targets").AppendLine().AppendLine("| | target | value | goal |").AppendLine("| --- | --- | ---: | --- |");
        foreach (var (name, passed, value, goal) in Targets(r))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {(passed ? "PASS" : "FAIL")} | {name} | {value} | {goal} |");
        }

        md.AppendLine().AppendLine("## Idle agents with runtime settings").AppendLine();
        md.AppendLine("| settings | RSS at settle | private at settle | RSS at end | private at end |").AppendLine("| --- | ---: | ---: | ---: | ---: |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| default (no DOTNET_* set) | {Cells(r.Idle)} | {Cells(r.IdleEnd)} |");
        foreach (var v in r.Variants)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {v.Label} | {Cells(v.AtSettle)} | {Cells(v.AtEnd)} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| baseline: trivial .NET program | {Cells(r.Baseline)} | | |");
        md.AppendLine().AppendLine("## Summary").AppendLine().AppendLine("```");
        foreach (var line in lines)
        {
            md.AppendLine(line);
        }

        return md.AppendLine("```").ToString();
    }

    private static string Cells(ProcessMemory? m) => m is null ? "n/a | n/a" : $"{ProcessMemory.MiB(m.RssBytes)} MiB | {(m.PrivateBytes is { } p ? ProcessMemory.MiB(p) + " MiB" : "n/a")}";

    private static string Mem(ProcessMemory? m) => m is null ? "n/a" : $"{ProcessMemory.MiB(m.RssBytes),5} / {(m.PrivateBytes is { } p ? ProcessMemory.MiB(p) : "n/a"),5}";

    private static string Latency(LatencySummary? l) => l is null
        ? "n/a"
        : $"p50 {F(l.P50Ms)} ms  p90 {F(l.P90Ms)} ms  p99 {F(l.P99Ms)} ms  max {F(l.MaxMs)} ms";

    /// <summary>The most frequent burst sizes with their counts, e.g. "6 x 1,234 B, 4 x 61 B".</summary>
    private static string Sizes(IReadOnlyList<long> bursts) => bursts.Count == 0
        ? "none"
        : string.Join(", ", bursts.GroupBy(static b => b).OrderByDescending(static g => g.Count()).ThenByDescending(static g => g.Key).Take(6)
            .Select(static g => $"{g.Count()} x {g.Key.ToString("N0", CultureInfo.InvariantCulture)} B"))
          + (bursts.Distinct().Count() > 6 ? ", ..." : "");
}
