using System.Text.Json.Nodes;
using EdgeCloud.Agent.Cloud;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// The pods the cloud binds to this node: a watch with fieldSelector spec.nodeName=&lt;node&gt; that resumes from the
/// last resourceVersion it saw (kept in the <see cref="PodCache"/>, so also across agent restarts), and falls back to
/// a full list when that version is too old (410): the list then replaces what the agent runs, so pods deleted
/// while the agent was offline are stopped and none run twice.
/// </summary>
internal sealed partial class PodSource(AgentOptions options, PodCache cache, PodSupervisor supervisor, ILogger logger)
{
    private string Selector => "fieldSelector=" + Uri.EscapeDataString("spec.nodeName=" + options.NodeName);

    /// <summary>Lists and watches until cancelled or the API fails.</summary>
    public async Task RunAsync(ClusterApi api, CancellationToken cancellationToken)
    {
        var resourceVersion = cache.ResourceVersion is { Length: > 0 } cached ? cached : null;
        while (true)
        {
            if (resourceVersion is null)
            {
                var list = await api.GetAsync("api/v1/pods?" + Selector, cancellationToken)
                    ?? throw new ClusterApiException(404, "listing this node's pods found no pods resource");
                var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                await supervisor.SyncAsync(items);
                resourceVersion = PodPlan.Text(list["metadata"]?["resourceVersion"]) ?? "0";
                cache.ResourceVersion = resourceVersion;
                LogListed(logger, items.Count, resourceVersion);
            }

            var expired = false;
            await foreach (var (type, obj) in api.WatchAsync("api/v1/pods?" + Selector, resourceVersion, cancellationToken))
            {
                if (type == "ERROR")
                {
                    // 410 Gone: the version is compacted; anything else: start over from a list too.
                    expired = true;
                    LogWatchError(logger, PodPlan.Text(obj["message"]) ?? obj.ToJsonString());
                    break;
                }

                if (PodPlan.Text(obj["metadata"]?["resourceVersion"]) is { } version)
                {
                    resourceVersion = version;
                }

                switch (type)
                {
                    case "ADDED" or "MODIFIED":
                        supervisor.Apply(obj);
                        break;
                    case "DELETED" when PodPlan.Text(obj["metadata"]?["uid"]) is { } uid:
                        await supervisor.ForgetAsync(uid);
                        break;
                }

                cache.ResourceVersion = resourceVersion;
            }

            if (expired)
            {
                resourceVersion = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "listed {Count} pods bound to this node at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, int count, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "the pod watch ended with an error ({Message}); listing again")]
    private static partial void LogWatchError(ILogger logger, string message);
}
