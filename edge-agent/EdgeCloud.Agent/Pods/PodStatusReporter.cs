using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EdgeCloud.Agent.Cloud;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// Pushes pod statuses to the cloud: the latest status of each pod is kept, and a status is written (PATCH
/// pods/{name}/status) only when it differs from what the cloud last accepted. While offline statuses pile up as
/// "latest" only, so a reconnect writes each pod once, current.
/// </summary>
internal sealed class PodStatusReporter
{
    /// <summary>Status writes in flight at most (the agent's HTTP connections over the tunnel are capped at 16).</summary>
    private const int MaxConcurrentWrites = 8;

    private readonly ConcurrentDictionary<string, (string Namespace, string Name, string Status)> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _accepted = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Records <paramref name="status"/> as the pod's latest.</summary>
    public void Report(string uid, string ns, string name, JsonObject status)
    {
        var text = status.ToJsonString();
        var previous = _latest.TryGetValue(uid, out var known) ? known.Status : null;
        if (previous == text)
        {
            return;
        }

        _latest[uid] = (ns, name, text);
        _changed.Writer.TryWrite(true);
    }

    /// <summary>Forgets a pod that is gone.</summary>
    public void Forget(string uid)
    {
        _latest.TryRemove(uid, out _);
        _accepted.TryRemove(uid, out _);
    }

    /// <summary>Writes statuses while <paramref name="api"/> works; from a new session every status is written once again.</summary>
    public async Task RunAsync(ClusterApi api, CancellationToken cancellationToken)
    {
        _accepted.Clear();
        while (true)
        {
            var due = _latest.Where(p => !_accepted.TryGetValue(p.Key, out var accepted) || accepted != p.Value.Status).ToList();
            // Several at once: a node starting a hundred pods has a hundred statuses to write, and one at a time
            // each waits a round trip over the tunnel behind the others.
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentWrites, CancellationToken = cancellationToken }, async (entry, token) =>
            {
                var (uid, (ns, name, status)) = entry;
                var patch = new JsonObject { ["metadata"] = new JsonObject { ["uid"] = uid }, ["status"] = JsonNode.Parse(status) };
                try
                {
                    // A pod the cloud no longer has (null: 404) is not retried; the pod source forgets it.
                    await api.MergePatchAsync($"api/v1/namespaces/{ns}/pods/{name}/status", patch, token);
                }
                catch (ClusterApiException refused) when (refused.StatusCode is 409 or 422)
                {
                    // The name now belongs to another pod (a new uid): this status is not its status.
                }

                _accepted[uid] = status;
            });

            if (due.Count == 0)
            {
                await _changed.Reader.ReadAsync(cancellationToken);
            }
        }
    }
}
