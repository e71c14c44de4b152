namespace EdgeCloud.Store.Writes;

/// <summary>The three mutations the store offers. The numbers are stored in the history table.</summary>
internal enum WriteKind : short
{
    Create = 0,
    Update = 1,
    Delete = 2,
}
