using EdgeCloud.Store.Writes;

namespace EdgeCloud.Store;

/// <summary>Turns a row of the history table into a <see cref="WatchEvent"/>; both backends store the same columns.</summary>
internal static class HistoryRow
{
    public static WatchEvent ToEvent(long revision, string key, short type, long createRevision, long prevModRevision, byte[]? value, byte[]? prevValue) =>
        new()
        {
            Type = (WriteKind)type switch
            {
                WriteKind.Create => WatchEventType.Created,
                WriteKind.Update => WatchEventType.Updated,
                WriteKind.Delete => WatchEventType.Deleted,
                _ => throw new InvalidDataException($"history row {revision} has unknown type {type}"),
            },
            Key = key,
            Revision = revision,
            CreateRevision = createRevision,
            Value = value ?? ReadOnlyMemory<byte>.Empty,
            PrevValue = prevValue ?? ReadOnlyMemory<byte>.Empty,
            PrevModRevision = prevModRevision,
        };
}
