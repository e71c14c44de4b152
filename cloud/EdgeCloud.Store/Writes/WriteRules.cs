namespace EdgeCloud.Store.Writes;

/// <summary>
/// The compare-and-swap rules, in one place for the SQLite path (the PostgreSQL path applies the same rules
/// inside its <c>edgecloud_apply</c> function, next to the rows it locks).
/// </summary>
internal static class WriteRules
{
    /// <summary>Why <paramref name="op"/> may not be applied to <paramref name="current"/>, or null when it may.</summary>
    public static WriteResult? Refusal(WriteOperation op, KeyValue? current, long head) => op.Kind switch
    {
        WriteKind.Create when current is not null => new WriteResult { Status = WriteStatus.AlreadyExists, Item = current, Revision = head },
        WriteKind.Create => null,
        _ when current is null => new WriteResult { Status = WriteStatus.NotFound, Revision = head },
        _ when op.ExpectedModRevision != 0 && current.ModRevision != op.ExpectedModRevision =>
            new WriteResult { Status = WriteStatus.Conflict, Item = current, Revision = head },
        _ => null,
    };

    /// <summary>The result of <paramref name="op"/> applied at <paramref name="revision"/>.</summary>
    public static WriteResult Applied(WriteOperation op, KeyValue? current, long revision) => new()
    {
        Status = WriteStatus.Applied,
        Revision = revision,
        Item = op.Kind == WriteKind.Delete
            ? current
            : new KeyValue
            {
                Key = op.Key,
                Value = op.Value,
                CreateRevision = op.Kind == WriteKind.Create ? revision : current!.CreateRevision,
                ModRevision = revision,
                ExpiresAt = op.ExpiresAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
            },
    };
}
