using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.OpenApi;

/// <summary>
/// The OpenAPI v3 documents kubectl reads (/openapi/v3 and one per group-version), generated from the kinds'
/// schemas. Each kind's schema carries x-kubernetes-group-version-kind (kubectl explain finds it by that), and
/// every create, update and patch operation declares the fieldValidation parameter, which is how kubectl
/// learns that the server validates, so that apply, create, replace and edit leave validation to the server.
/// </summary>
public static class OpenApiDocuments
{
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation"];

    /// <summary>The group-version path in the index: "api/v1" or "apis/{group}/{version}".</summary>
    public static string GroupVersionPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    /// <summary>GET /openapi/v3: each served group-version with the relative URL of its document (with a content hash).</summary>
    public static JsonObject Index(IEnumerable<KindDefinition> kinds, string kubernetesVersion)
    {
        var paths = new JsonObject();
        foreach (var gv in kinds.GroupBy(static k => (k.Group, k.Version)).OrderBy(static g => GroupVersionPath(g.Key.Group, g.Key.Version), StringComparer.Ordinal))
        {
            var path = GroupVersionPath(gv.Key.Group, gv.Key.Version);
            var hash = Hash(GroupVersion(gv, gv.Key.Group, gv.Key.Version, kubernetesVersion));
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The OpenAPI document of one group-version, or null when nothing is served there.</summary>
    public static JsonObject? GroupVersion(IEnumerable<KindDefinition> kinds, string group, string version, string kubernetesVersion)
    {
        var served = kinds.Where(k => k.Group == group && k.Version == version).OrderBy(static k => k.Kind, StringComparer.Ordinal).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var kind in served)
        {
            var schemaName = SchemaName(kind);
            var schema = OpenApiSchemas.ToOpenApi(kind.Schema);
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind.Group, kind.Version, kind.Kind));
            schemas[schemaName] = schema;
            schemas[schemaName + "List"] = ListSchema(kind, schemaName);
            AddPaths(paths, kind, schemaName);
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = kubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>The component name of a kind's schema, in Kubernetes' style (io.k8s.api.apps.v1.Deployment).</summary>
    public static string SchemaName(KindDefinition kind) => kind.Group switch
    {
        "" => $"io.k8s.api.core.{kind.Version}.{kind.Kind}",
        "apiextensions.k8s.io" => $"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{kind.Version}.{kind.Kind}",
        var g when g.EndsWith(".k8s.io", StringComparison.Ordinal) => $"io.k8s.api.{g[..^".k8s.io".Length]}.{kind.Version}.{kind.Kind}",
        var g when !g.Contains('.') => $"io.k8s.api.{g}.{kind.Version}.{kind.Kind}",
        var g => $"{string.Join('.', g.Split('.').Reverse())}.{kind.Version}.{kind.Kind}",
    };

    private static void AddPaths(JsonObject paths, KindDefinition kind, string schemaName)
    {
        var prefix = "/" + GroupVersionPath(kind.Group, kind.Version);
        var scope = kind.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{kind.Plural}" : $"{prefix}/{kind.Plural}";
        var scopeParameters = kind.Namespaced ? new[] { "namespace" } : [];
        var collection = new JsonObject
        {
            ["get"] = Operation(kind, "list", schemaName + "List", []),
            ["post"] = Operation(kind, "post", schemaName, WriteParameters, body: schemaName),
            ["delete"] = Operation(kind, "deletecollection", null, ["dryRun"]),
            ["parameters"] = PathParameters(scopeParameters),
        };
        paths[scope] = collection;
        paths[$"{scope}/{{name}}"] = ItemPaths(kind, schemaName, [.. scopeParameters, "name"]);
        if (kind.Namespaced)
        {
            paths[$"{prefix}/{kind.Plural}"] = new JsonObject { ["get"] = Operation(kind, "list", schemaName + "List", []) };
        }

        if (kind.HasStatus)
        {
            paths[$"{scope}/{{name}}/status"] = ItemPaths(kind, schemaName, [.. scopeParameters, "name"], withDelete: false);
        }
    }

    private static JsonObject ItemPaths(KindDefinition kind, string schemaName, string[] pathParameters, bool withDelete = true)
    {
        var item = new JsonObject
        {
            ["get"] = Operation(kind, "get", schemaName, []),
            ["put"] = Operation(kind, "put", schemaName, WriteParameters, body: schemaName),
            ["patch"] = Operation(kind, "patch", schemaName, [.. WriteParameters, "force"], patchBody: true),
        };
        if (withDelete)
        {
            item["delete"] = Operation(kind, "delete", null, ["dryRun", "gracePeriodSeconds", "propagationPolicy"]);
        }

        item["parameters"] = PathParameters(pathParameters);
        return item;
    }

    private static JsonObject Operation(KindDefinition kind, string action, string? responseSchema, IReadOnlyList<string> query, string? body = null, bool patchBody = false)
    {
        var parameters = new JsonArray();
        foreach (var name in query)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "query",
                ["description"] = QueryDescription(name),
                ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : name == "gracePeriodSeconds" ? "integer" : "string", ["uniqueItems"] = true },
            });
        }

        var operation = new JsonObject
        {
            ["operationId"] = $"{action}{kind.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = responseSchema is null ? new JsonObject() : Content(responseSchema, "application/json", "application/yaml"),
                },
                ["401"] = new JsonObject { ["description"] = "Unauthorized" },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(kind.Group, kind.Version, kind.Kind),
        };
        if (body is not null)
        {
            operation["requestBody"] = new JsonObject { ["content"] = Content(body, "*/*"), ["required"] = true };
        }

        if (patchBody)
        {
            operation["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject
                {
                    ["application/json-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                    ["application/merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                    ["application/strategic-merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                    ["application/apply-patch+yaml"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                },
                ["required"] = true,
            };
        }

        return operation;
    }

    private static JsonArray PathParameters(IEnumerable<string> names) =>
        new([.. names.Select(static n => (JsonNode)new JsonObject
        {
            ["name"] = n,
            ["in"] = "path",
            ["required"] = true,
            ["description"] = n == "namespace" ? "object name and auth scope, such as for teams and projects" : "name of the object",
            ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
        })]);

    private static JsonObject Content(string schemaName, params string[] mediaTypes)
    {
        var content = new JsonObject();
        foreach (var media in mediaTypes)
        {
            content[media] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" } };
        }

        return content;
    }

    private static JsonObject ListSchema(KindDefinition kind, string itemSchema)
    {
        var list = new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"A list of {kind.Kind} objects.",
            ["required"] = new JsonArray("items"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["type"] = "string", ["description"] = "Versioned schema of this object." },
                ["kind"] = new JsonObject { ["type"] = "string", ["description"] = "Kind of this object." },
                ["metadata"] = OpenApiSchemas.ToOpenApi(Kinds.MetaSchemas.ListMeta),
                ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = $"#/components/schemas/{itemSchema}" } },
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind.Group, kind.Version, kind.ListKind)),
        };
        return list;
    }

    private static string QueryDescription(string name) => name switch
    {
        "dryRun" => "When present, indicates that modifications should not be persisted. Valid value: All.",
        "fieldManager" => "Name of the actor making the change, for field management.",
        "fieldValidation" => "What to do with unknown or duplicate fields: Ignore, Warn (default) or Strict.",
        "force" => "Take over conflicting fields in server-side apply.",
        "gracePeriodSeconds" => "Seconds before the object is deleted.",
        "propagationPolicy" => "Whether and how dependents are collected: Orphan, Background or Foreground.",
        _ => name,
    };

    private static JsonObject Gvk(string group, string version, string kind) => new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

    private static string Hash(JsonObject? document) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document?.ToJsonString() ?? ""))).ToUpperInvariant();
}
