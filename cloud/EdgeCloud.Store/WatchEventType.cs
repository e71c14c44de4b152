namespace EdgeCloud.Store;

/// <summary>What happened to a key.</summary>
public enum WatchEventType
{
    /// <summary>The key was created.</summary>
    Created,

    /// <summary>The key's value was replaced.</summary>
    Updated,

    /// <summary>The key was deleted (by a caller or by TTL expiry).</summary>
    Deleted,
}
