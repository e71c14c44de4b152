using System.Globalization;
using System.Text.Json;

namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>
/// One watch on all pods, from the resourceVersion of a list made before the measured pods exist, that records
/// when each measured pod (named <see cref="ScheduleObjects.PodName"/> in one namespace) is first seen bound
/// (spec.nodeName set), and to which node. Resumes from the last resourceVersion seen if the server ends the stream.
/// </summary>
internal sealed class BindingWatch : IAsyncDisposable
{
    private readonly string _namespace;
    private readonly long[] _boundAt;
    private readonly string?[] _nodeOf;
    private readonly TaskCompletionSource _allBound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ApiWatchStream? _stream;
    private int _bound;

    private BindingWatch(string ns, int pods)
    {
        _namespace = ns;
        _boundAt = new long[pods];
        _nodeOf = new string?[pods];
    }

    /// <summary>Completes when every measured pod has been seen bound.</summary>
    public Task AllBound => _allBound.Task;

    /// <summary>Measured pods seen bound so far.</summary>
    public int Bound => Volatile.Read(ref _bound);

    /// <summary>Watch events received so far, of every pod.</summary>
    public long Events => _stream?.Events ?? 0;

    /// <summary>Times (stopwatch timestamps) the watch first saw each measured pod bound; 0 where it has not.</summary>
    public IReadOnlyList<long> BoundAt => _boundAt;

    /// <summary>The node each measured pod was bound to, where seen.</summary>
    public IReadOnlyList<string?> NodeOf => _nodeOf;

    /// <summary>Lists pods for a resourceVersion, then watches from it for <paramref name="pods"/> measured pods of <paramref name="ns"/>.</summary>
    public static async Task<BindingWatch> StartAsync(HttpClient client, string ns, int pods, CancellationToken cancellationToken)
    {
        string resourceVersion;
        using (var list = await ApiWatchStream.ListAsync(client, "api/v1/pods?limit=1", cancellationToken))
        {
            resourceVersion = ApiWatchStream.ResourceVersionOf(list);
        }

        var watch = new BindingWatch(ns, pods);
        watch._stream = await ApiWatchStream.OpenAsync(client, "api/v1/pods", resourceVersion, watch.Observe, error => watch._allBound.TrySetException(error), cancellationToken);
        return watch;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
    }

    private void Observe(string? type, JsonElement pod, long seen)
    {
        if (type is not ("ADDED" or "MODIFIED") || !pod.TryGetProperty("metadata", out var metadata)
            || !metadata.TryGetProperty("namespace", out var ns) || !ns.ValueEquals(_namespace)
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
