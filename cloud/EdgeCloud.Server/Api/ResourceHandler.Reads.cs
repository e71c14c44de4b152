using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

internal sealed partial class ResourceHandler
{
    private async Task GetAsync(HttpContext context, Target target)
    {
        var obj = await objects.GetAsync(target.Cluster, target.Kind, target.Namespace, target.RequiredName, context.RequestAborted);
        if (target.Subresource == "scale")
        {
            await WriteJsonAsync(context, 200, ScaleSubresource.FromObject(target.Kind, obj, kinds.ScaleOf(target.Kind)));
            return;
        }

        await WriteObjectAsync(context, 200, target.Kind, obj);
    }

    private async Task ListAsync(HttpContext context, Target target)
    {
        var query = context.Request.Query;
        var limit = ParseInt(query["limit"], "limit") ?? 0;
        var revision = ListRevision(query["resourceVersion"], query["resourceVersionMatch"], NullIfEmpty(query["continue"]) is not null);
        var filter = SelectorFilter.Build(target.Kind, query["labelSelector"], query["fieldSelector"]);
        var page = await objects.ListAsync(target.Cluster, target.Kind, target.Namespace, limit, NullIfEmpty(query["continue"]), revision, filter, context.RequestAborted);
        var rv = Rv(page.Revision);
        if (AcceptHeader.WantsTable(context.Request))
        {
            await WriteJsonAsync(context, 200, TableWriter.Build(target.Kind, page.Items, time.GetUtcNow(), rv, page.Continue));
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
        }

        var list = new JsonObject
        {
            ["kind"] = target.Kind.ListKind,
            ["apiVersion"] = target.Kind.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. page.Items.Select(o => (JsonNode)WithTypeMeta(target.Kind, o))]),
        };
        await WriteJsonAsync(context, 200, list);
    }

    private async Task WatchAsync(HttpContext context, Target target)
    {
        var query = context.Request.Query;
        var filter = SelectorFilter.Build(target.Kind, query["labelSelector"], query["fieldSelector"]);
        var bookmarks = query["allowWatchBookmarks"] == "true";
        // kube-apiserver ends a watch after timeoutSeconds, or a random 30-60 minutes when unset.
        var timeout = ParseInt(query["timeoutSeconds"], "timeoutSeconds") is { } seconds and > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30 + Random.Shared.Next(30));
        var rv = ObjectJson.ParseResourceVersion(NullIfEmpty(query["resourceVersion"]));
        // A stopping server ends its watches (the clients watch again, from their last resourceVersion, on another
        // replica or on this one once restarted), so shutdown does not wait for them to time out.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        stop.CancelAfter(timeout);
        var stream = new WatchStreamWriter(context, target.Kind, AcceptHeader.WantsTable(context.Request), time);
        try
        {
            long from;
            if (rv is null or 0)
            {
                // Unset or "0": the current state as ADDED events, then the changes after it (API concepts, "Semantics for watch").
                var snapshot = await objects.ListAsync(target.Cluster, target.Kind, target.Namespace, 0, null, 0, filter, stop.Token);
                await stream.StartAsync(stop.Token);
                foreach (var obj in snapshot.Items)
                {
                    await stream.WriteEventAsync(KubeWatchEventTypes.Added, obj, stop.Token);
                }

                from = snapshot.Revision;
            }
            else
            {
                await stream.StartAsync(stop.Token);
                from = rv.Value;
            }

            var changes = objects.WatchAsync(target.Cluster, target.Kind, target.Namespace, from, filter, stop.Token).GetAsyncEnumerator(stop.Token);
            Task<bool>? next = null;
            try
            {
                next = changes.MoveNextAsync().AsTask();
                var tick = bookmarks ? Task.Delay(BookmarkInterval, time, stop.Token) : Task.Delay(Timeout.Infinite, stop.Token);
                while (true)
                {
                    // A bookmark after each minute tells the client how far it has seen, so a resumed watch need not start over.
                    if (await Task.WhenAny(next, tick) == tick)
                    {
                        await tick;
                        await stream.WriteBookmarkAsync(from, stop.Token);
                        tick = Task.Delay(BookmarkInterval, time, stop.Token);
                        continue;
                    }

                    if (!await next)
                    {
                        break;
                    }

                    from = changes.Current.Revision;
                    await stream.WriteEventAsync(changes.Current.Type, changes.Current.Object, stop.Token);
                    next = changes.MoveNextAsync().AsTask();
                }
            }
            finally
            {
                // An async enumerator may not be disposed while a MoveNextAsync is pending: stop it and let it end first.
                await stop.CancelAsync();
                if (next is not null)
                {
                    await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                await changes.DisposeAsync();
            }
        }
        catch (KubeApiException error)
        {
            // Errors after the request was accepted travel as an ERROR event carrying the Status (410 Expired included).
            if (!context.Response.HasStarted)
            {
                await stream.StartAsync(context.RequestAborted);
            }

            await stream.WriteErrorAsync(error, context.RequestAborted);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // timeoutSeconds reached or the client left: the response simply ends.
        }
    }

    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromMinutes(1);

    private static long ListRevision(string? resourceVersion, string? match, bool continuing)
    {
        var rv = ObjectJson.ParseResourceVersion(NullIfEmpty(resourceVersion)) ?? 0;
        if (continuing && rv != 0)
        {
            throw KubeApiException.BadRequest("specifying resource version is not allowed when using continue");
        }

        return NullIfEmpty(match) switch
        {
            // Unset and NotOlderThan: the latest state (never older than rv, since revisions only grow).
            null or "NotOlderThan" => 0,
            "Exact" when rv > 0 => rv,
            "Exact" => throw KubeApiException.BadRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\" or unset"),
            var other => throw KubeApiException.BadRequest($"unsupported resourceVersionMatch value \"{other}\": supported values: \"Exact\", \"NotOlderThan\""),
        };
    }
}
