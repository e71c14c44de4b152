using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The verbs of one resource request once its path is resolved to a kind: get, list, watch, create, update,
/// patch, delete and deletecollection, on the main resource and its status and scale subresources. Bodies are
/// JSON; errors are thrown as <see cref="KubeApiException"/> and rendered as Status by <see cref="ClusterApiMiddleware"/>.
/// </summary>
internal sealed partial class ResourceHandler(
    ResourceStore objects, ClusterKinds kinds, CustomResourceDefinitions definitions, TokenRequests tokenRequests,
    ActiveNamespaces activeNamespaces, TimeProvider time, IHostApplicationLifetime lifetime)
{
    /// <summary>Largest request body accepted: 3 MiB, as kube-apiserver.</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context, string cluster, KindDefinition kind, ApiPath path)
    {
        var request = context.Request;
        var target = new Target(cluster, kind, kind.Namespaced ? path.Namespace : null, path.Name, path.Subresource);
        if (path.Subresource is { } sub && !ServedSubresource(kind, sub))
        {
            throw new KubeApiException(404, "NotFound", $"the server could not find the requested resource ({kind.Plural}/{sub})");
        }

        AcceptHeader.RequireJson(request);
        switch (request.Method, path.Name)
        {
            case ("GET", null) when IsWatch(request):
                await WatchAsync(context, target);
                return;
            case ("GET", null):
                await ListAsync(context, target);
                return;
            case ("GET", not null):
                await GetAsync(context, target);
                return;
            case ("POST", null):
                await CreateAsync(context, target);
                return;
            case ("POST", not null) when path.Subresource == "binding":
                await BindAsync(context, target);
                return;
            case ("POST", not null) when path.Subresource == "token":
                await IssueTokenAsync(context, target);
                return;
            case ("PUT", not null):
                await ReplaceAsync(context, target);
                return;
            case ("PATCH", not null):
                await PatchAsync(context, target);
                return;
            case ("DELETE", not null) when path.Subresource is null:
                await DeleteAsync(context, target);
                return;
            case ("DELETE", null):
                await DeleteCollectionAsync(context, target);
                return;
            default:
                throw KubeApiException.MethodNotSupported(kind.Plural, VerbOf(request.Method, path));
        }
    }

    /// <summary>Writes <paramref name="body"/> as the response.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body, string contentType = "application/json")
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, body, ServerJsonContext.Default.JsonObject, context.RequestAborted);
    }

    private async Task WriteObjectAsync(HttpContext context, int code, KindDefinition kind, JsonObject obj)
    {
        WithTypeMeta(kind, obj);
        if (AcceptHeader.WantsTable(context.Request))
        {
            await WriteJsonAsync(context, code, TableWriter.Build(kind, [obj], time.GetUtcNow(), obj.Metadata().GetString("resourceVersion"), null));
            return;
        }

        await WriteJsonAsync(context, code, obj);
    }

    private static JsonObject WithTypeMeta(KindDefinition kind, JsonObject obj)
    {
        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
        return obj;
    }

    /// <summary>Subresources served generically; the others a kind declares (log, exec, ...) are served by the agent issues.</summary>
    private static bool ServedSubresource(KindDefinition kind, string sub) =>
        kind.Subresources.Contains(sub) && sub is "status" or "scale" or "binding" or "token";

    private static string VerbOf(string method, ApiPath path) => (method, path.Name) switch
    {
        ("GET", null) => "list",
        ("GET", _) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", null) => "deletecollection",
        ("DELETE", _) => "delete",
        _ => method.ToLowerInvariant(),
    };

    private static bool IsWatch(HttpRequest request) => request.Query["watch"] is var w && (w == "true" || w == "1");

    private static bool IsDryRun(HttpRequest request) => request.Query["dryRun"].Count switch
    {
        0 => false,
        _ when request.Query["dryRun"].All(static v => v == "All") => true,
        _ => throw KubeApiException.BadRequest($"Invalid dry run value: \"{request.Query["dryRun"]}\": supported values: \"All\""),
    };

    private static int? ParseInt(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw KubeApiException.BadRequest($"invalid {name}: \"{value}\" is not a non-negative integer");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Rv(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends each warning as a "Warning: 299" header, which kubectl prints (Kubernetes API concepts, "Warnings").</summary>
    private static void AddWarnings(HttpContext context, IReadOnlyList<string> warnings)
    {
        foreach (var warning in warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    /// <summary>What one request addresses.</summary>
    private sealed record Target(string Cluster, KindDefinition Kind, string? Namespace, string? Name, string? Subresource)
    {
        public string RequiredName => Name ?? throw new InvalidOperationException("the request names no object");
    }
}
