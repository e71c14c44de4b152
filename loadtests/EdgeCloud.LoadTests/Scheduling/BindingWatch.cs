using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>
/// One watch on all pods, from the resourceVersion of a list made before the measured pods exist, that records
/// when each measured pod (named <see cref="ScheduleObjects.PodName"/> in one namespace) is first seen bound
/// (spec.nodeName set), and to which node. Resumes from the last resourceVersion seen if the server ends the stream.
/// </summary>
internal sealed class BindingWatch : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly string _namespace;
    private readonly long[] _boundAt;
    private readonly string?[] _nodeOf;
    private readonly TaskCompletionSource _allBound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private string _resourceVersion;
    private int _bound;
    private long _events;

    private BindingWatch(HttpClient client, string ns, int pods, string resourceVersion)
    {
        _client = client;
        _namespace = ns;
        _boundAt = new long[pods];
        _nodeOf = new string?[pods];
        _resourceVersion = resourceVersion;
    }

    /// <summary>Completes when every measured pod has been seen bound.</summary>
    public Task AllBound => _allBound.Task;

    /// <summary>Measured pods seen bound so far.</summary>
    public int Bound => Volatile.Read(ref _bound);

    /// <summary>Watch events received so far, of every pod.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Times (stopwatch timestamps) the watch first saw each measured pod bound; 0 where it has not.</summary>
    public IReadOnlyList<long> BoundAt => _boundAt;

    /// <summary>The node each measured pod was bound to, where seen.</summary>
    public IReadOnlyList<string?> NodeOf => _nodeOf;

    /// <summary>Lists pods for a resourceVersion, then watches from it for <paramref name="pods"/> measured pods of <paramref name="ns"/>.</summary>
    public static async Task<BindingWatch> StartAsync(HttpClient client, string ns, int pods, CancellationToken cancellationToken)
    {
        string resourceVersion;
        using (var list = await client.GetAsync("api/v1/pods?limit=1", cancellationToken))
        {
            await EdgeCloudProcess.EnsureAsync(list, HttpStatusCode.OK, cancellationToken);
            using var document = await JsonDocument.ParseAsync(await list.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            resourceVersion = document.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
        }

        var watch = new BindingWatch(client, ns, pods, resourceVersion);
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watch._reader = Task.Run(() => watch.ReadAsync(opened, watch._stop.Token), CancellationToken.None);
        await opened.Task.WaitAsync(cancellationToken);
        return watch;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
    }

    private async Task ReadAsync(TaskCompletionSource opened, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var response = await _client.GetAsync($"api/v1/pods?watch=true&resourceVersion={_resourceVersion}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
                opened.TrySetResult();
                using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (await lines.ReadLineAsync(cancellationToken) is { } line)
                {
                    var seen = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref _events);
                    Observe(line, seen);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            opened.TrySetException(error);
            _allBound.TrySetException(error);
        }
    }

    private void Observe(string line, long seen)
    {
        using var change = JsonDocument.Parse(line);
        if (!change.RootElement.TryGetProperty("object", out var pod) || !pod.TryGetProperty("metadata", out var metadata))
        {
            return;
        }

        if (metadata.TryGetProperty("resourceVersion", out var rv) && rv.GetString() is { Length: > 0 } version)
        {
            _resourceVersion = version;
        }

        if (!metadata.TryGetProperty("namespace", out var ns) || !ns.ValueEquals(_namespace)
            || !pod.TryGetProperty("spec", out var spec) || !spec.TryGetProperty("nodeName", out var nodeName) || nodeName.GetString() is not { Length: > 0 } node
            || metadata.GetProperty("name").GetString() is not { } name || !name.StartsWith("pod-", StringComparison.Ordinal)
            || !int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= _boundAt.Length
            || _boundAt[index] != 0)
        {
            return;
        }

        _boundAt[index] = seen;
        _nodeOf[index] = node;
        if (Interlocked.Increment(ref _bound) == _boundAt.Length)
        {
            _allBound.TrySetResult();
        }
    }
}
