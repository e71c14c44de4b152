namespace EdgeCloud.Kube.Apply;

/// <summary>The operation of a managedFields entry.</summary>
public enum ManagedFieldsOperation
{
    /// <summary>Server-side apply: the entry holds exactly the fields of the manager's last applied configuration.</summary>
    Apply,

    /// <summary>Any other write (create, update, patch): the entry holds the fields the manager last changed.</summary>
    Update,
}
