using System.Text.Json.Nodes;

namespace EdgeCloud.Agent.Pods;

/// <summary>One container of a pod spec, as the agent runs it.</summary>
internal sealed record ContainerPlan
{
    public required string Name { get; init; }

    public required string Image { get; init; }

    public required string ImagePullPolicy { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>env as given (values and valueFrom references, resolved by <see cref="PodEnvironment"/>).</summary>
    public required JsonArray Env { get; init; }

    /// <summary>envFrom as given.</summary>
    public required JsonArray EnvFrom { get; init; }

    public string? WorkingDirectory { get; init; }

    public required IReadOnlyList<VolumeMountPlan> Mounts { get; init; }

    public ProbePlan? Liveness { get; init; }

    public ProbePlan? Readiness { get; init; }

    public bool Tty { get; init; }

    /// <summary>resources as given (read by <see cref="ContainerResourceSpec"/> when the container starts).</summary>
    public JsonObject? Resources { get; init; }

    /// <summary>containerPort by port name, for probes that name their port.</summary>
    public required IReadOnlyDictionary<string, int> NamedPorts { get; init; }

    public static ContainerPlan Parse(JsonObject container)
    {
        var image = PodPlan.Text(container["image"]) ?? "";
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        if (container["ports"] is JsonArray declared)
        {
            foreach (var port in declared.OfType<JsonObject>())
            {
                if (PodPlan.Text(port["name"]) is { } name && PodPlan.Number(port["containerPort"]) is { } number)
                {
                    ports[name] = (int)number;
                }
            }
        }

        return new ContainerPlan
        {
            Name = PodPlan.Text(container["name"]) ?? throw new FormatException("a container has no name"),
            Image = image,
            // Kubernetes' default: Always for :latest or untagged images, IfNotPresent otherwise.
            ImagePullPolicy = PodPlan.Text(container["imagePullPolicy"]) ?? (image.EndsWith(":latest", StringComparison.Ordinal) || !image.Contains(':', StringComparison.Ordinal) ? "Always" : "IfNotPresent"),
            Command = Strings(container["command"]),
            Args = Strings(container["args"]),
            Env = container["env"]?.DeepClone() as JsonArray ?? [],
            EnvFrom = container["envFrom"]?.DeepClone() as JsonArray ?? [],
            WorkingDirectory = PodPlan.Text(container["workingDir"]),
            Mounts = container["volumeMounts"] is JsonArray mounts
                ? [.. mounts.OfType<JsonObject>().Select(static m => new VolumeMountPlan(
                    PodPlan.Text(m["name"]) ?? "", PodPlan.Text(m["mountPath"]) ?? "", m["readOnly"] is JsonValue ro && ro.TryGetValue<bool>(out var r) && r, PodPlan.Text(m["subPath"])))]
                : [],
            Liveness = container["livenessProbe"] is JsonObject liveness ? ProbePlan.Parse(liveness) : null,
            Readiness = container["readinessProbe"] is JsonObject readiness ? ProbePlan.Parse(readiness) : null,
            Tty = container["tty"] is JsonValue tty && tty.TryGetValue<bool>(out var t) && t,
            NamedPorts = ports,
            Resources = container["resources"]?.DeepClone() as JsonObject,
        };
    }

    private static List<string> Strings(JsonNode? list) =>
        list is JsonArray items ? [.. items.Select(static i => PodPlan.Text(i) ?? "")] : [];
}
