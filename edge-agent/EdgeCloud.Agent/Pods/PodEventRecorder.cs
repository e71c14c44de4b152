using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EdgeCloud.Agent.Cloud;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// The pod Events of this node, as the kubelet writes them (source "kubelet", the node as host; `kubectl describe
/// pod` shows them). A repeat of the same event within <see cref="AggregationWindow"/> adds to its count, as the
/// kubelet's event correlator does. A series is first written a second after it starts (pod statuses, written at
/// once, go first when many pods start together: the agent benchmark's 100 pods reached Running 1.5x later at p99
/// when events went out at once), then at most once per interval that doubles from 1 s to 5 min, so a probe failing
/// every second costs a few writes, not one a second. Events recorded while the cloud is
/// unreachable are kept (up to <see cref="MaxSeries"/> series, oldest dropped) and written on reconnect.
/// </summary>
internal sealed class PodEventRecorder(string nodeName, TimeProvider time)
{
    /// <summary>Series kept at most: while offline for long, the oldest go first.</summary>
    public const int MaxSeries = 1_000;

    /// <summary>Repeats within this window join one Event (its count); later ones start a new Event.</summary>
    public static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan FirstRewrite = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRewrite = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<SeriesKey, Series> _series = [];
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _lastMilliseconds;

    /// <summary>Records a Normal event about <paramref name="pod"/> (its container <paramref name="container"/> if given).</summary>
    public void Normal(PodPlan pod, ContainerPlan? container, string reason, string message) => Record(pod, container, "Normal", reason, message);

    /// <summary>Records a Warning event about <paramref name="pod"/> (its container <paramref name="container"/> if given).</summary>
    public void Warning(PodPlan pod, ContainerPlan? container, string reason, string message) => Record(pod, container, "Warning", reason, message);

    /// <summary>Writes recorded events while <paramref name="api"/> works; returns only when cancelled or the link fails.</summary>
    public async Task RunAsync(ClusterApi api, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (due, next) = Due();
            foreach (var (series, count, last) in due)
            {
                await WriteAsync(api, series, count, last, cancellationToken);
            }

            if (due.Count > 0)
            {
                continue;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (next is { } at)
            {
                var wait = at - time.GetUtcNow();
                deadline.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            }

            try
            {
                await _changed.Reader.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A series' next rewrite is due.
            }
        }
    }

    private void Record(PodPlan pod, ContainerPlan? container, string type, string reason, string message)
    {
        var fieldPath = container is null ? null : $"spec.{(pod.InitContainers.Contains(container) ? "initContainers" : "containers")}{{{container.Name}}}";
        var key = new SeriesKey(pod.Uid, fieldPath, type, reason, message);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            // A series with a count the cloud has not seen yet (the link was down) keeps counting past the window:
            // starting a new one in its place would lose that count.
            if (_series.TryGetValue(key, out var series) && (now - series.Last < AggregationWindow || series.WrittenCount != series.Count))
            {
                series.Count++;
                series.Last = now;
            }
            else
            {
                // The object's name and the time in hex, as the kubelet names events; here milliseconds, as the
                // cloud's controllers name theirs, so that events of one second list in the order they happened
                // (kubectl describe shows one-second timestamps), and one more than the last name for uniqueness.
                _lastMilliseconds = Math.Max(now.ToUnixTimeMilliseconds(), _lastMilliseconds + 1);
                var name = pod.Name + "." + _lastMilliseconds.ToString("x", CultureInfo.InvariantCulture);
                _series[key] = new Series(key, pod.Namespace, pod.Name, name, now);
                Prune(now);
            }
        }

        _changed.Writer.TryWrite(true);
    }

    // Drops series that can no longer aggregate and are written, then the oldest, down to MaxSeries.
    private void Prune(DateTimeOffset now)
    {
        if (_series.Count <= MaxSeries)
        {
            return;
        }

        foreach (var stale in _series.Values.Where(s => s.WrittenCount == s.Count && now - s.Last >= AggregationWindow).ToList())
        {
            _series.Remove(stale.Key);
        }

        foreach (var oldest in _series.Values.OrderBy(static s => s.Last).Take(_series.Count - MaxSeries).ToList())
        {
            _series.Remove(oldest.Key);
        }
    }

    private (List<(Series Series, int Count, DateTimeOffset Last)> Due, DateTimeOffset? Next) Due()
    {
        var now = time.GetUtcNow();
        var due = new List<(Series, int, DateTimeOffset)>();
        DateTimeOffset? next = null;
        lock (_gate)
        {
            foreach (var series in _series.Values.Where(static s => s.WrittenCount != s.Count))
            {
                if (now >= series.NextWrite)
                {
                    due.Add((series, series.Count, series.Last));
                }
                else if (next is null || series.NextWrite < next)
                {
                    next = series.NextWrite;
                }
            }
        }

        return (due, next);
    }

    private async Task WriteAsync(ClusterApi api, Series series, int count, DateTimeOffset last, CancellationToken cancellationToken)
    {
        var path = $"api/v1/namespaces/{series.Namespace}/events";
        try
        {
            var repeat = new JsonObject { ["count"] = count, ["lastTimestamp"] = Timestamp(last) };
            var written = series.WrittenCount > 0 && await api.MergePatchAsync($"{path}/{series.Name}", repeat, cancellationToken) is not null;
            // New, or expired or deleted in the cloud: created whole. 409: the create of a session that broke landed.
            if (!written && await api.CreateAsync(path, EventObject(series, count, last), cancellationToken) is null)
            {
                await api.MergePatchAsync($"{path}/{series.Name}", repeat, cancellationToken);
            }
        }
        catch (ClusterApiException)
        {
            // Refused (the namespace is being deleted, say): an event is not worth retrying; the series is dropped as written.
        }

        lock (_gate)
        {
            series.WrittenCount = count;
            series.NextWrite = time.GetUtcNow() + series.Interval;
            series.Interval = TimeSpan.FromTicks(Math.Min(series.Interval.Ticks * 2, MaxRewrite.Ticks));
        }
    }

    private JsonObject EventObject(Series series, int count, DateTimeOffset last) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = series.Name, ["namespace"] = series.Namespace },
        ["involvedObject"] = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["namespace"] = series.Namespace,
            ["name"] = series.PodName,
            ["uid"] = series.Key.PodUid,
            ["fieldPath"] = series.Key.FieldPath,
        },
        ["reason"] = series.Key.Reason,
        ["message"] = series.Key.Message,
        ["type"] = series.Key.Type,
        ["source"] = new JsonObject { ["component"] = "kubelet", ["host"] = nodeName },
        ["reportingComponent"] = "kubelet",
        ["reportingInstance"] = nodeName,
        ["firstTimestamp"] = Timestamp(series.First),
        ["lastTimestamp"] = Timestamp(last),
        ["count"] = count,
    };

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record SeriesKey(string PodUid, string? FieldPath, string Type, string Reason, string Message);

    private sealed class Series(SeriesKey key, string ns, string podName, string name, DateTimeOffset first)
    {
        public SeriesKey Key { get; } = key;

        public string Namespace { get; } = ns;

        public string PodName { get; } = podName;

        public string Name { get; } = name;

        public DateTimeOffset First { get; } = first;

        public DateTimeOffset Last { get; set; } = first;

        public int Count { get; set; } = 1;

        /// <summary>The count the cloud has (0: not written yet).</summary>
        public int WrittenCount { get; set; }

        // The first write waits a second too: pod statuses go first when many pods start at once, and quick repeats join it.
        public DateTimeOffset NextWrite { get; set; } = first + FirstRewrite;

        public TimeSpan Interval { get; set; } = FirstRewrite;
    }
}
