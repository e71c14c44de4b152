using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Nodes;

/// <summary>The ConfigMaps and Secrets a pod spec names: volumes (also projected), env valueFrom, envFrom, imagePullSecrets.</summary>
internal static class PodReferences
{
    /// <summary>The names of the <paramref name="plural"/> ("configmaps" or "secrets") <paramref name="pod"/> references.</summary>
    public static HashSet<string> Of(JsonObject pod, string plural)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var secrets = plural == "secrets";
        if (pod["spec"] is not JsonObject spec)
        {
            return names;
        }

        foreach (var volume in Objects(spec["volumes"]))
        {
            Add(names, secrets ? volume["secret"]?["secretName"] : volume["configMap"]?["name"]);
            foreach (var source in Objects(volume["projected"]?["sources"]))
            {
                Add(names, source[secrets ? "secret" : "configMap"]?["name"]);
            }
        }

        foreach (var container in Objects(spec["containers"]).Concat(Objects(spec["initContainers"])).Concat(Objects(spec["ephemeralContainers"])))
        {
            foreach (var env in Objects(container["env"]))
            {
                Add(names, env["valueFrom"]?[secrets ? "secretKeyRef" : "configMapKeyRef"]?["name"]);
            }

            foreach (var from in Objects(container["envFrom"]))
            {
                Add(names, from[secrets ? "secretRef" : "configMapRef"]?["name"]);
            }
        }

        if (secrets)
        {
            foreach (var pull in Objects(spec["imagePullSecrets"]))
            {
                Add(names, pull["name"]);
            }
        }

        return names;
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? array) => array is JsonArray items ? items.OfType<JsonObject>() : [];

    private static void Add(HashSet<string> names, JsonNode? name)
    {
        if (name is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            names.Add(text);
        }
    }
}
