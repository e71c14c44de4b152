using System.Data.Common;

namespace EdgeCloud.Store;

/// <summary>Maps the key-value columns both backends select, in the same order, to <see cref="KeyValue"/>.</summary>
internal static class KeyValueRows
{
    /// <summary>Columns from <paramref name="first"/>: create_revision, mod_revision, expires_at, value.</summary>
    public static KeyValue Read(DbDataReader reader, string key, int first) => new()
    {
        Key = key,
        CreateRevision = reader.GetInt64(first),
        ModRevision = reader.GetInt64(first + 1),
        ExpiresAt = reader.IsDBNull(first + 2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 2)),
        Value = reader.GetFieldValue<byte[]>(first + 3),
    };

    /// <summary>
    /// Reads a list query's rows (key, create_revision, mod_revision, expires_at, value) fetched with
    /// LIMIT <paramref name="limit"/> + 1, and says whether more rows follow the page.
    /// </summary>
    public static async Task<(ListResult Page, bool More)> ReadPageAsync(DbDataReader reader, int limit, long revision, CancellationToken cancellationToken)
    {
        var items = new List<KeyValue>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader, reader.GetString(0), 1));
        }

        var more = limit > 0 && items.Count > limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return (new ListResult { Items = items, Revision = revision }, more);
    }
}
