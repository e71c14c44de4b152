using EdgeCloud.Kube.Api;
using EdgeCloud.Server.Api;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// GET pods/{name}/log: the container's log from its node's agent, streamed as text/plain and flushed as it arrives
/// (kubectl logs -f shows each line at once).
/// </summary>
internal sealed class PodLogProxy(PodStreamTargets targets)
{
    public async Task HandleAsync(HttpContext context, string ns, string name)
    {
        await targets.AuthorizeAsync(context, ns, name, "log");
        var query = context.Request.Query;
        var options = new NodeLogOptions
        {
            Follow = StreamQuery.Bool(query, "follow"),
            TailLines = StreamQuery.Long(query, "tailLines", 0),
            SinceSeconds = StreamQuery.Long(query, "sinceSeconds", 1),
            SinceTime = StreamQuery.Time(query, "sinceTime"),
            Timestamps = StreamQuery.Bool(query, "timestamps"),
            LimitBytes = StreamQuery.Long(query, "limitBytes", 1),
            Previous = StreamQuery.Bool(query, "previous"),
        };
        if (options.SinceSeconds is not null && options.SinceTime is not null)
        {
            throw KubeApiException.BadRequest("at most one of sinceTime or sinceSeconds may be specified");
        }

        var aborted = context.RequestAborted;
        var target = await targets.ResolveAsync(ClusterRequest.Of(context).Cluster, ns, name, StreamQuery.String(query, "container"), aborted);
        var header = new NodeStreamHeader
        {
            Kind = NodeStreamKind.Logs,
            Namespace = ns,
            Pod = name,
            PodUid = target.PodUid,
            Container = target.Container,
            Logs = options,
        }.Encode();
        // The cloud sends nothing, but keeps its direction open: its end (a reset, or the close once the log ended)
        // is how the agent learns that nobody reads any more, e.g. of a logs -f that is idle.
        await using var stream = await targets.OpenAsync(target, header, aborted);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/plain";
        await response.StartAsync(aborted);
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, aborted)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // kubectl went away (Ctrl+C on logs -f): the agent stops following once the stream is reset.
            stream.Reset("the client went away");
        }
        catch (IOException)
        {
            // The node's stream broke mid-log; the body just ends, as when a kubelet connection drops.
            context.Abort();
        }
    }
}
