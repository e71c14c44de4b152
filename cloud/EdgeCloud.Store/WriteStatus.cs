namespace EdgeCloud.Store;

/// <summary>How a conditional write ended.</summary>
public enum WriteStatus
{
    /// <summary>The write was applied at <see cref="WriteResult.Revision"/>.</summary>
    Applied,

    /// <summary>A create found the key already present; <see cref="WriteResult.Item"/> holds the stored version.</summary>
    AlreadyExists,

    /// <summary>An update or delete found no such key.</summary>
    NotFound,

    /// <summary>An update or delete found another mod revision than expected; <see cref="WriteResult.Item"/> holds the stored version.</summary>
    Conflict,
}
