using Microsoft.Extensions.Logging;

namespace EdgeCloud.Store;

/// <summary>The store's log messages, one place for all of them.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(1, LogLevel.Warning, "A write batch of {Count} failed; retrying its writes one by one")]
    public static partial void BatchFailedRetryingSingly(ILogger logger, int count, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "Watch feed of cluster {ClusterId} failed; its watches were ended")]
    public static partial void WatchFeedFailed(ILogger logger, string clusterId, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Watch catch-up in cluster {ClusterId} failed; the watch was ended")]
    public static partial void WatchCatchUpFailed(ILogger logger, string clusterId, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Compacted cluster {ClusterId} to revision {Revision}: {Rows} history rows removed")]
    public static partial void Compacted(ILogger logger, string clusterId, long revision, long rows);

    [LoggerMessage(5, LogLevel.Error, "Compaction pass failed; retrying at the next interval")]
    public static partial void CompactionFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "Expiry sweep failed; retrying")]
    public static partial void ExpirySweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "PostgreSQL change listener lost its connection; reconnecting in {Delay}")]
    public static partial void ListenerDisconnected(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "PostgreSQL change listener connected")]
    public static partial void ListenerConnected(ILogger logger);

    [LoggerMessage(9, LogLevel.Debug, "Expired {Count} keys")]
    public static partial void ExpiredKeys(ILogger logger, int count);

    [LoggerMessage(10, LogLevel.Error, "Signalling watchers after a commit failed; they catch up at the next change")]
    public static partial void CommitNotificationFailed(ILogger logger, Exception exception);
}
