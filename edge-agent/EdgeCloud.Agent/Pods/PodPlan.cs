using System.Text.Json.Nodes;

namespace EdgeCloud.Agent.Pods;

/// <summary>The parts of a pod the agent acts on, read once from its JSON.</summary>
internal sealed record PodPlan
{
    public required string Uid { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>Always (default), OnFailure or Never.</summary>
    public required string RestartPolicy { get; init; }

    /// <summary>terminationGracePeriodSeconds (default 30 s).</summary>
    public required TimeSpan TerminationGracePeriod { get; init; }

    public required IReadOnlyList<ContainerPlan> InitContainers { get; init; }

    public required IReadOnlyList<ContainerPlan> Containers { get; init; }

    /// <summary>spec.volumes as given.</summary>
    public required IReadOnlyList<JsonObject> Volumes { get; init; }

    /// <summary>metadata.deletionTimestamp is set: terminate and let the cloud remove the pod.</summary>
    public required bool Deleting { get; init; }

    /// <summary>metadata.deletionGracePeriodSeconds when deleting.</summary>
    public TimeSpan? DeletionGracePeriod { get; init; }

    /// <summary>The pod object this plan was read from.</summary>
    public required JsonObject Object { get; init; }

    /// <summary>Reads a pod; throws <see cref="FormatException"/> when it lacks what every pod has (uid, name, containers).</summary>
    public static PodPlan Parse(JsonObject pod)
    {
        var metadata = pod["metadata"] as JsonObject ?? throw new FormatException("the pod has no metadata");
        var spec = pod["spec"] as JsonObject ?? throw new FormatException("the pod has no spec");
        var containers = ParseContainers(spec["containers"]);
        if (containers.Count == 0)
        {
            throw new FormatException("the pod has no containers");
        }

        return new PodPlan
        {
            Uid = Text(metadata["uid"]) ?? throw new FormatException("the pod has no uid"),
            Namespace = Text(metadata["namespace"]) ?? "default",
            Name = Text(metadata["name"]) ?? throw new FormatException("the pod has no name"),
            RestartPolicy = Text(spec["restartPolicy"]) ?? "Always",
            TerminationGracePeriod = TimeSpan.FromSeconds(Number(spec["terminationGracePeriodSeconds"]) ?? 30),
            InitContainers = ParseContainers(spec["initContainers"]),
            Containers = containers,
            Volumes = spec["volumes"] is JsonArray volumes ? [.. volumes.OfType<JsonObject>()] : [],
            Deleting = metadata["deletionTimestamp"] is not null,
            DeletionGracePeriod = Number(metadata["deletionGracePeriodSeconds"]) is { } grace ? TimeSpan.FromSeconds(grace) : null,
            Object = pod,
        };
    }

    /// <summary>How long containers get between SIGTERM and SIGKILL when the pod is deleted now.</summary>
    public TimeSpan StopGracePeriod => DeletionGracePeriod is { } grace && grace < TerminationGracePeriod ? grace : TerminationGracePeriod;

    private static List<ContainerPlan> ParseContainers(JsonNode? list) =>
        list is JsonArray items ? [.. items.OfType<JsonObject>().Select(ContainerPlan.Parse)] : [];

    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
