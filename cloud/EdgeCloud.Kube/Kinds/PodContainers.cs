using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Kinds;

/// <summary>The container lists of a pod spec, as JSON objects.</summary>
internal static class PodContainers
{
    /// <summary>containers, then initContainers: the ones with resources (ephemeral containers have none).</summary>
    public static IEnumerable<JsonObject> WithResources(JsonObject? spec) => In(spec, "containers").Concat(In(spec, "initContainers"));

    /// <summary>Every container: containers, initContainers and ephemeralContainers.</summary>
    public static IEnumerable<JsonObject> All(JsonObject? spec) => WithResources(spec).Concat(In(spec, "ephemeralContainers"));

    private static IEnumerable<JsonObject> In(JsonObject? spec, string list) => (spec?[list] as JsonArray)?.OfType<JsonObject>() ?? [];
}
