namespace EdgeCloud.Store;

/// <summary>A request the store refuses before touching the database: a malformed key, an oversized value, a bad token.</summary>
public sealed class InvalidStoreRequestException(string parameter, string message)
    : StoreException($"{parameter}: {message}")
{
    /// <summary>The argument that was refused.</summary>
    public string Parameter { get; } = parameter;
}
