using EdgeCloud.Store.Writes;

namespace EdgeCloud.Store;

/// <summary>
/// Turns a row of the history table, joined with the row of the version it replaced, into a <see cref="WatchEvent"/>;
/// both backends store the same columns.
/// </summary>
internal static class HistoryRow
{
    // prevMissing: a row above the compact mark refers to a previous version (update or delete) whose history row
    // is gone. Compaction keeps every row a later change refers to, so this means the store's invariants were
    // broken: fail loudly rather than report an empty previous value.
    public static WatchEvent ToEvent(long revision, string key, short type, long createRevision, long prevModRevision, byte[]? value, byte[]? prevValue, bool prevMissing) =>
        prevMissing && (WriteKind)type != WriteKind.Create
            ? throw new InvalidDataException($"history row {revision} of {key} refers to version {prevModRevision}, which is no longer stored")
            : new()
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
