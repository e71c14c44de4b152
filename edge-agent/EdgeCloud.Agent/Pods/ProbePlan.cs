using System.Text.Json.Nodes;

namespace EdgeCloud.Agent.Pods;

/// <summary>A liveness or readiness probe (exec, httpGet or tcpSocket) with kubelet's defaults.</summary>
internal sealed record ProbePlan
{
    /// <summary>"exec", "httpGet" or "tcpSocket".</summary>
    public required string Kind { get; init; }

    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>A port number, or a container port's name.</summary>
    public string Port { get; init; } = "";

    public string Path { get; init; } = "/";

    public string Scheme { get; init; } = "HTTP";

    public string? Host { get; init; }

    /// <summary>initialDelaySeconds (default 0).</summary>
    public TimeSpan InitialDelay { get; init; }

    /// <summary>periodSeconds (default 10).</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>timeoutSeconds (default 1).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>successThreshold (default 1).</summary>
    public int SuccessThreshold { get; init; } = 1;

    /// <summary>failureThreshold (default 3).</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>Reads a probe; null when it names no handler the agent knows (grpc is not served).</summary>
    public static ProbePlan? Parse(JsonObject probe)
    {
        var timing = new ProbePlan { Kind = "" } with
        {
            InitialDelay = TimeSpan.FromSeconds(PodPlan.Number(probe["initialDelaySeconds"]) ?? 0),
            Period = TimeSpan.FromSeconds(Math.Max(1, PodPlan.Number(probe["periodSeconds"]) ?? 10)),
            Timeout = TimeSpan.FromSeconds(Math.Max(1, PodPlan.Number(probe["timeoutSeconds"]) ?? 1)),
            SuccessThreshold = (int)Math.Max(1, PodPlan.Number(probe["successThreshold"]) ?? 1),
            FailureThreshold = (int)Math.Max(1, PodPlan.Number(probe["failureThreshold"]) ?? 3),
        };
        if (probe["exec"]?["command"] is JsonArray command)
        {
            return timing with { Kind = "exec", Command = [.. command.Select(static c => PodPlan.Text(c) ?? "")] };
        }

        if (probe["httpGet"] is JsonObject http)
        {
            return timing with { Kind = "httpGet", Port = PortText(http["port"]), Path = PodPlan.Text(http["path"]) ?? "/", Scheme = PodPlan.Text(http["scheme"]) ?? "HTTP", Host = PodPlan.Text(http["host"]) };
        }

        if (probe["tcpSocket"] is JsonObject tcp)
        {
            return timing with { Kind = "tcpSocket", Port = PortText(tcp["port"]), Host = PodPlan.Text(tcp["host"]) };
        }

        return null;
    }

    private static string PortText(JsonNode? port) => PodPlan.Number(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? PodPlan.Text(port) ?? "";
}
