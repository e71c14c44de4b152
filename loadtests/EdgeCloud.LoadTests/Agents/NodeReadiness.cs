using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>Waits, with a list and a watch of the cluster's nodes, until each of some nodes reports Ready=True.</summary>
internal static class NodeReadiness
{
    /// <summary>Returns when (stopwatch timestamp) each of <paramref name="names"/> was first seen Ready; fails after <paramref name="timeout"/>.</summary>
    public static async Task<Dictionary<string, long>> WaitAsync(HttpClient client, IReadOnlyCollection<string> names, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var readyAt = new Dictionary<string, long>(StringComparer.Ordinal);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            string resourceVersion;
            using (var list = await client.GetAsync("api/v1/nodes", deadline.Token))
            {
                await EdgeCloudProcess.EnsureAsync(list, HttpStatusCode.OK, deadline.Token);
                using var document = await JsonDocument.ParseAsync(await list.Content.ReadAsStreamAsync(deadline.Token), cancellationToken: deadline.Token);
                resourceVersion = document.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
                foreach (var node in document.RootElement.GetProperty("items").EnumerateArray())
                {
                    Observe(node, names, readyAt, Stopwatch.GetTimestamp());
                }
            }

            while (readyAt.Count < names.Count)
            {
                using var response = await client.GetAsync($"api/v1/nodes?watch=true&resourceVersion={resourceVersion}", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, deadline.Token);
                using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
                while (readyAt.Count < names.Count && await lines.ReadLineAsync(deadline.Token) is { } line)
                {
                    using var change = JsonDocument.Parse(line);
                    if (change.RootElement.TryGetProperty("object", out var node))
                    {
                        if (node.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var rv) && rv.GetString() is { Length: > 0 } version)
                        {
                            resourceVersion = version;
                        }

                        Observe(node, names, readyAt, Stopwatch.GetTimestamp());
                    }
                }
            }

            return readyAt;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"nodes not Ready within {timeout.TotalSeconds:0} s: {string.Join(", ", names.Where(n => !readyAt.ContainsKey(n)))}");
        }
    }

    private static void Observe(JsonElement node, IReadOnlyCollection<string> names, Dictionary<string, long> readyAt, long seen)
    {
        if (node.GetProperty("metadata").GetProperty("name").GetString() is not { } name || !names.Contains(name) || readyAt.ContainsKey(name)
            || !node.TryGetProperty("status", out var status) || !status.TryGetProperty("conditions", out var conditions))
        {
            return;
        }

        foreach (var condition in conditions.EnumerateArray())
        {
            if (condition.TryGetProperty("type", out var type) && type.ValueEquals("Ready") && condition.TryGetProperty("status", out var value) && value.ValueEquals("True"))
            {
                readyAt[name] = seen;
                return;
            }
        }
    }
}
