using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The verbs of one resource request (get, list, watch, create, update, delete), once the path is resolved to a
/// kind. Bodies are JSON; errors are thrown as <see cref="KubeApiException"/> and rendered as Status by the caller.
/// </summary>
internal sealed class ResourceHandler(ResourceStore objects, TimeProvider time)
{
    /// <summary>Largest request body accepted: 3 MiB, as kube-apiserver.</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context, string cluster, KindDefinition kind, ApiPath path)
    {
        var request = context.Request;
        var ns = kind.Namespaced ? path.Namespace : null;
        if (path.Subresource is { } sub && sub != "status")
        {
            throw new KubeApiException(404, "NotFound", $"the server could not find the requested resource ({kind.Plural}/{sub})");
        }

        if (path.Subresource == "status" && !kind.HasStatus)
        {
            throw new KubeApiException(404, "NotFound", $"the server could not find the requested resource ({kind.Plural}/status)");
        }

        var ct = context.RequestAborted;
        switch (request.Method, path.Name)
        {
            case ("GET", null) when IsWatch(request):
                await WatchAsync(context, cluster, kind, ns);
                return;
            case ("GET", null):
                await ListAsync(context, cluster, kind, ns);
                return;
            case ("GET", { } name):
                await WriteObjectAsync(context, 200, kind, await objects.GetAsync(cluster, kind, ns, name, ct));
                return;
            case ("POST", null):
                var created = await CreateAsync(context, cluster, kind, ns);
                await WriteObjectAsync(context, IsDryRun(request) ? 200 : 201, kind, created);
                return;
            case ("PUT", { } name):
                await WriteObjectAsync(context, 200, kind, await ReplaceAsync(context, cluster, kind, ns, name, path.Subresource == "status"));
                return;
            case ("DELETE", { } name):
                await DeleteAsync(context, cluster, kind, ns, name);
                return;
            default:
                throw KubeApiException.MethodNotSupported(kind.Plural, request.Method.ToLowerInvariant());
        }
    }

    private async Task ListAsync(HttpContext context, string cluster, KindDefinition kind, string? ns)
    {
        var query = context.Request.Query;
        var limit = ParseInt(query["limit"], "limit") ?? 0;
        var revision = ListRevision(query["resourceVersion"], query["resourceVersionMatch"]);
        var filter = SelectorFilter.Build(kind, query["labelSelector"], query["fieldSelector"]);
        var page = await objects.ListAsync(cluster, kind, ns, limit, NullIfEmpty(query["continue"]), revision, filter, context.RequestAborted);
        var rv = page.Revision.ToString(CultureInfo.InvariantCulture);
        if (WantsTable(context.Request))
        {
            await WriteJsonAsync(context, 200, TableWriter.Build(kind, page.Items, time.GetUtcNow(), rv, page.Continue));
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
        }

        var list = new JsonObject
        {
            ["kind"] = kind.ListKind,
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray(page.Items.Select(o => (JsonNode)WithTypeMeta(kind, o)).ToArray()),
        };
        await WriteJsonAsync(context, 200, list);
    }

    private async Task WatchAsync(HttpContext context, string cluster, KindDefinition kind, string? ns)
    {
        var query = context.Request.Query;
        var filter = SelectorFilter.Build(kind, query["labelSelector"], query["fieldSelector"]);
        var table = WantsTable(context.Request);
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = ParseInt(query["timeoutSeconds"], "timeoutSeconds") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        var rv = ObjectJson.ParseResourceVersion(NullIfEmpty(query["resourceVersion"]));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        stop.CancelAfter(timeout);
        var stream = new WatchStreamWriter(context, kind, table, time);
        await stream.StartAsync();
        try
        {
            long from;
            if (rv is null or 0)
            {
                // Unset or "0": the current state as ADDED events first, then changes after it (API concepts, "Semantics for watch").
                var snapshot = await objects.ListAsync(cluster, kind, ns, 0, null, 0, filter, stop.Token);
                foreach (var obj in snapshot.Items)
                {
                    await stream.WriteEventAsync(KubeWatchEventTypes.Added, obj, stop.Token);
                }

                from = snapshot.Revision;
                if (bookmarks)
                {
                    await stream.WriteBookmarkAsync(from, stop.Token);
                }
            }
            else
            {
                from = rv.Value;
            }

            await foreach (var change in objects.WatchAsync(cluster, kind, ns, from, filter, stop.Token))
            {
                await stream.WriteEventAsync(change.Type, change.Object, stop.Token);
            }
        }
        catch (KubeApiException error)
        {
            // Once the stream has begun, errors travel as an ERROR event carrying the Status (410 Expired included).
            await stream.WriteErrorAsync(error, context.RequestAborted);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<JsonObject> CreateAsync(HttpContext context, string cluster, KindDefinition kind, string? ns)
    {
        var body = await ReadBodyAsync(context, kind);
        CheckTypeMeta(kind, body);
        var metadata = body.Metadata();
        if (kind.Namespaced)
        {
            if (ns is null)
            {
                throw KubeApiException.MethodNotSupported(kind.Plural, "create");
            }

            if (metadata.GetString("namespace") is { Length: > 0 } bodyNs && bodyNs != ns)
            {
                throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
        }

        if (string.IsNullOrEmpty(metadata.GetString("name")) && string.IsNullOrEmpty(metadata.GetString("generateName")))
        {
            throw KubeApiException.Invalid(kind.Group, kind.Kind, "", [new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
        }

        ObjectNames.Validate(kind, metadata);
        return WithTypeMeta(kind, await objects.CreateAsync(cluster, kind, ns, body, IsDryRun(context.Request), ttl: null, context.RequestAborted));
    }

    private async Task<JsonObject> ReplaceAsync(HttpContext context, string cluster, KindDefinition kind, string? ns, string name, bool status)
    {
        var body = await ReadBodyAsync(context, kind);
        CheckTypeMeta(kind, body);
        var metadata = body.Metadata();
        if (metadata.GetString("name") is { } bodyName && bodyName != name)
        {
            throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var expected = ObjectJson.ParseResourceVersion(metadata.GetString("resourceVersion"), "metadata.resourceVersion");
        var (updated, _) = await objects.UpdateAsync(cluster, kind, ns, name, current =>
        {
            if (expected is { } want && current.Metadata().GetString("resourceVersion") != want.ToString(CultureInfo.InvariantCulture))
            {
                throw KubeApiException.Conflict(kind.Group, kind.Plural, name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            return status ? UpdateRules.StatusResource(current, body) : UpdateRules.MainResource(kind, current, body);
        }, IsDryRun(context.Request), context.RequestAborted);
        return WithTypeMeta(kind, updated);
    }

    private async Task DeleteAsync(HttpContext context, string cluster, KindDefinition kind, string? ns, string name)
    {
        var current = await objects.GetAsync(cluster, kind, ns, name, context.RequestAborted);
        if (IsDryRun(context.Request))
        {
            await WriteObjectAsync(context, 200, kind, current);
            return;
        }

        var (deleted, _) = await objects.DeleteAtAsync(cluster, kind, ns, name, ObjectJson.ParseResourceVersion(current.Metadata().GetString("resourceVersion"))!.Value, context.RequestAborted);
        if (!deleted)
        {
            throw KubeApiException.Conflict(kind.Group, kind.Plural, name, "the object has been modified; please apply your changes to the latest version and try again");
        }

        await WriteObjectAsync(context, 200, kind, current);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext context, KindDefinition kind)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new KubeApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not ("application/json" or null or ""))
        {
            throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > MaxBodyBytes)
        {
            throw new KubeApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw KubeApiException.BadRequest($"the body of the request must be a {kind.Kind} object");
        }
        catch (JsonException ex)
        {
            throw KubeApiException.BadRequest($"the object provided is unrecognized JSON: {ex.Message}");
        }
    }

    private static void CheckTypeMeta(KindDefinition kind, JsonObject body)
    {
        var apiVersion = body.GetString("apiVersion");
        var bodyKind = body.GetString("kind");
        if ((apiVersion is not null && apiVersion != kind.ApiVersion) || (bodyKind is not null && bodyKind != kind.Kind))
        {
            throw KubeApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({kind.ApiVersion}) or the kind ({bodyKind}) is not {kind.Kind}");
        }
    }

    private static JsonObject WithTypeMeta(KindDefinition kind, JsonObject obj)
    {
        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
        return obj;
    }

    private async Task WriteObjectAsync(HttpContext context, int code, KindDefinition kind, JsonObject obj)
    {
        WithTypeMeta(kind, obj);
        if (WantsTable(context.Request))
        {
            await WriteJsonAsync(context, code, TableWriter.Build(kind, [obj], time.GetUtcNow(), obj.Metadata().GetString("resourceVersion"), null));
            return;
        }

        await WriteJsonAsync(context, code, obj);
    }

    public static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, ServerJsonContext.Default.JsonObject, context.RequestAborted);
    }

    private static long ListRevision(string? resourceVersion, string? match)
    {
        var rv = ObjectJson.ParseResourceVersion(NullIfEmpty(resourceVersion)) ?? 0;
        return NullIfEmpty(match) switch
        {
            null or "NotOlderThan" => 0,
            "Exact" when rv > 0 => rv,
            "Exact" => throw KubeApiException.BadRequest("resourceVersionMatch \"Exact\" requires a resourceVersion other than \"0\""),
            var other => throw KubeApiException.BadRequest($"unsupported resourceVersionMatch \"{other}\": supported values: \"Exact\", \"NotOlderThan\""),
        };
    }

    private static bool IsWatch(HttpRequest request) => request.Query["watch"] is var w && (w == "true" || w == "1");

    private static bool IsDryRun(HttpRequest request) => request.Query["dryRun"].Count switch
    {
        0 => false,
        _ when request.Query["dryRun"].All(static v => v == "All") => true,
        _ => throw KubeApiException.BadRequest($"unsupported dryRun value \"{request.Query["dryRun"]}\": supported values: \"All\""),
    };

    /// <summary>kubectl get asks for application/json;as=Table;v=v1;g=meta.k8s.io (falling back to plain JSON).</summary>
    public static bool WantsTable(HttpRequest request) =>
        request.Headers.Accept.ToString().Split(',').Any(static a => a.Contains("as=Table", StringComparison.Ordinal) && a.Contains("g=meta.k8s.io", StringComparison.Ordinal));

    private static int? ParseInt(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw KubeApiException.BadRequest($"invalid {name}: \"{value}\" is not a non-negative integer");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
