namespace EdgeCloud.Tenancy;

/// <summary>What a member may do in a tenant. Each role includes the ones before it.</summary>
public enum TenantRole
{
    /// <summary>Sees the tenant's clusters and downloads read-only kubeconfigs.</summary>
    Viewer = 0,

    /// <summary>Also creates and deletes clusters, downloads admin kubeconfigs, manages join tokens.</summary>
    Admin = 1,

    /// <summary>Also manages members and reads the audit log.</summary>
    Owner = 2,
}
