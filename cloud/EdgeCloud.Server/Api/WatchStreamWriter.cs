using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The body of a watch response: one JSON event per line ({"type":..., "object":...}), each flushed as it is
/// written so that clients see it at once (Kubernetes API concepts, "Efficient detection of changes"). With
/// as=Table each object is a one-row Table; column definitions go only with the first, as kube-apiserver does.
/// </summary>
internal sealed class WatchStreamWriter(HttpContext context, KindDefinition kind, bool table, TimeProvider time)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private bool _headersSent;

    /// <summary>Sends the response headers, so that the client knows the watch is established before any event.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>Writes one change of an object.</summary>
    public Task WriteEventAsync(string type, JsonObject obj, CancellationToken cancellationToken)
    {
        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
        JsonObject payload = obj;
        if (table)
        {
            payload = TableWriter.Build(kind, [obj], time.GetUtcNow(), obj.Metadata().GetString("resourceVersion"), null, includeHeaders: !_headersSent);
            _headersSent = true;
        }

        return WriteAsync(type, payload, cancellationToken);
    }

    /// <summary>A BOOKMARK: an object of the watched kind carrying only the resourceVersion reached.</summary>
    public Task WriteBookmarkAsync(long revision, CancellationToken cancellationToken)
    {
        var bookmark = new JsonObject
        {
            ["kind"] = kind.Kind,
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
        };
        return WriteAsync(KubeWatchEventTypes.Bookmark, bookmark, cancellationToken);
    }

    /// <summary>An ERROR event carrying a Status, e.g. 410 Expired when the start revision was compacted.</summary>
    public Task WriteErrorAsync(KubeApiException error, CancellationToken cancellationToken) =>
        WriteAsync(KubeWatchEventTypes.Error, StatusResponses.ToStatus(error), cancellationToken);

    private async Task WriteAsync(string type, JsonObject payload, CancellationToken cancellationToken)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = payload };
        await JsonSerializer.SerializeAsync(context.Response.Body, line, ServerJsonContext.Default.JsonObject, cancellationToken);
        await context.Response.Body.WriteAsync(NewLine, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
