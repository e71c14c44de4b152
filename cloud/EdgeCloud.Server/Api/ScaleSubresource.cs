using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.CustomResources;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The scale subresource (autoscaling/v1 Scale) of Deployments and ReplicaSets: a view of spec.replicas and
/// status.replicas that <c>kubectl scale</c> reads and writes.
/// </summary>
internal static class ScaleSubresource
{
    /// <summary>The Scale kind, for reading and patching Scale bodies.</summary>
    public static KindDefinition Kind { get; } = new()
    {
        Group = "autoscaling",
        Version = "v1",
        Kind = "Scale",
        Plural = "scale",
        Singular = "",
        Namespaced = true,
        Schema = Schemas.Object(
            "Scale is the desired and observed replica count of a scalable object.",
            ("apiVersion", Schemas.String("Version of the schema of this object.")),
            ("kind", Schemas.String("Kind of this object.")),
            ("metadata", Schemas.Any("Standard object metadata.")),
            ("spec", Schemas.Object("The desired scale.", ("replicas", Schemas.Int32("Desired number of replicas.")))),
            ("status", Schemas.Object(
                "The observed scale.",
                ("replicas", Schemas.Int32("Observed number of replicas.")),
                ("selector", Schemas.String("Label selector of the pods counted, in string form."))))),
    };

    /// <summary>The Scale of <paramref name="obj"/>; a custom resource's replicas and selector come from its CRD's <paramref name="paths"/>.</summary>
    public static JsonObject FromObject(KindDefinition kind, JsonObject obj, CustomResourceScale? paths = null)
    {
        var metadata = obj.Metadata();
        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        var spec = obj["spec"] as JsonObject;
        if (paths is not null)
        {
            return new JsonObject
            {
                ["kind"] = "Scale",
                ["apiVersion"] = "autoscaling/v1",
                ["metadata"] = scaleMetadata,
                ["spec"] = new JsonObject { ["replicas"] = paths.SpecReplicasPath.First(obj)?.DeepClone() ?? 0 },
                ["status"] = new JsonObject
                {
                    ["replicas"] = paths.StatusReplicasPath.First(obj)?.DeepClone() ?? 0,
                    ["selector"] = paths.LabelSelectorPath?.First(obj)?.DeepClone() ?? "",
                },
            };
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = spec?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = (obj["status"] as JsonObject)?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = SelectorText(spec?["selector"] as JsonObject),
            },
        };
    }

    /// <summary><paramref name="current"/> with the replicas of <paramref name="scale"/>.</summary>
    public static JsonObject Apply(KindDefinition kind, JsonObject current, JsonObject scale, CustomResourceScale? paths = null)
    {
        var name = current.Metadata().GetString("name") ?? "";
        if (scale.Metadata().GetString("resourceVersion") is { Length: > 0 } rv && rv != current.Metadata().GetString("resourceVersion"))
        {
            throw KubeApiException.Conflict(kind.Group, kind.Plural, name, "the object has been modified; please apply your changes to the latest version and try again");
        }

        if ((scale["spec"] as JsonObject)?["replicas"] is not JsonValue replicas || !replicas.TryGetValue<int>(out var count) || count < 0)
        {
            throw KubeApiException.Invalid("autoscaling", "Scale", name, [new StatusCause("FieldValueInvalid", "Invalid value: must be greater than or equal to 0", "spec.replicas")]);
        }

        var result = current.DeepClone().AsObject();
        if (paths is not null)
        {
            paths.SpecReplicasPath.TrySet(result, count);
            return UpdateRules.MainResource(kind, current, result);
        }

        var spec = result["spec"] as JsonObject ?? [];
        spec["replicas"] = count;
        result["spec"] = spec;
        return UpdateRules.MainResource(kind, current, result);
    }

    /// <summary>metav1.LabelSelector in the string form Scale reports: matchLabels as k=v, expressions as "k in (a,b)".</summary>
    private static string SelectorText(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }

        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => $"{l.Key}={l.Value}"));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = expression.GetString("key");
                IEnumerable<string?> values = (expression["values"] as JsonArray)?.Select(static v => v?.ToString()).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string?>();
                parts.Add(expression.GetString("operator") switch
                {
                    "In" => $"{key} in ({string.Join(",", values)})",
                    "NotIn" => $"{key} notin ({string.Join(",", values)})",
                    "Exists" => key ?? "",
                    _ => $"!{key}",
                });
            }
        }

        return string.Join(",", parts);
    }
}
