using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Events;

/// <summary>
/// Records core/v1 Events about objects, as client-go's event recorder does, so that `kubectl describe` shows
/// what the controllers decided: the same reason and message about the same object again bumps the existing
/// Event's count and lastTimestamp instead of writing a new one.
/// </summary>
public sealed class EventRecorder(ClusterContext context, string component)
{
    private const int RememberedEvents = 4096;

    private readonly ConcurrentDictionary<string, (string Name, int Count)> _recent = new(StringComparer.Ordinal);

    /// <summary>Records a Normal event.</summary>
    public Task NormalAsync(KindDefinition kind, JsonObject obj, string reason, string message) => RecordAsync(kind, obj, "Normal", reason, message);

    /// <summary>Records a Warning event.</summary>
    public Task WarningAsync(KindDefinition kind, JsonObject obj, string reason, string message) => RecordAsync(kind, obj, "Warning", reason, message);

    private async Task RecordAsync(KindDefinition kind, JsonObject obj, string type, string reason, string message)
    {
        var metadata = obj.Metadata();
        var ns = metadata.GetString("namespace") ?? "default";
        var name = metadata.GetString("name")!;
        var uid = metadata.GetString("uid");
        var key = string.Join('\u0001', uid, type, reason, message);
        var now = ResourceStore.Timestamp(context.Time.GetUtcNow());
        var events = EventKind.Definition;
        try
        {
            if (_recent.TryGetValue(key, out var seen))
            {
                var updated = await context.Writer.UpdateAsync(context.Cache, events, ns, seen.Name, current =>
                {
                    current["count"] = seen.Count + 1;
                    current["lastTimestamp"] = now;
                    return current;
                }, component, context.Stopping);
                if (updated is not null)
                {
                    _recent[key] = (seen.Name, seen.Count + 1);
                    return;
                }
            }

            if (_recent.Count >= RememberedEvents)
            {
                _recent.Clear();
            }

            var suffix = context.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
            var created = await context.Writer.CreateAsync(context.Cache, events, new JsonObject
            {
                ["metadata"] = new JsonObject { ["namespace"] = ns, ["generateName"] = $"{name}.{suffix}" },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = kind.ApiVersion,
                    ["kind"] = kind.Kind,
                    ["name"] = name,
                    ["namespace"] = metadata.GetString("namespace"),
                    ["uid"] = uid,
                    ["resourceVersion"] = metadata.GetString("resourceVersion"),
                },
                ["reason"] = reason,
                ["message"] = message,
                ["type"] = type,
                ["source"] = new JsonObject { ["component"] = component },
                ["reportingComponent"] = component,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
            }, component, context.Stopping);
            _recent[key] = (created.Metadata().GetString("name")!, 1);
        }
        catch (Kube.Api.KubeApiException)
        {
            // An event that cannot be written (namespace being deleted) is not worth failing the decision for.
        }
    }
}
