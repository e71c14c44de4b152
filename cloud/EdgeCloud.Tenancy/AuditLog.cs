namespace EdgeCloud.Tenancy;

/// <summary>
/// The audit log of tenant-level actions, one record per action under
/// <c>/tenancy/audit/{tenant}/{time ticks}-{random}</c>, so a tenant's log lists in time order with one prefix
/// read. It never holds secrets (no passwords, tokens or kubeconfigs), only who did what to what.
/// </summary>
public sealed class AuditLog(SystemRecords records, TimeProvider time)
{
    private const string Prefix = "/tenancy/audit/";

    /// <summary>Records that <paramref name="actor"/> did <paramref name="action"/> to <paramref name="target"/>.</summary>
    public async Task WriteAsync(string tenantId, string actor, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = new AuditEntry { Time = now, Actor = actor, Action = action, Target = target, Detail = detail };
        var key = $"{Prefix}{tenantId}/{now.UtcTicks:D19}-{TenancyIds.New("")}";
        await records.CreateAsync(key, entry, TenancyJsonContext.Default.AuditEntry, cancellationToken);
    }

    /// <summary>The tenant's entries, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        var all = await records.ListAsync(Prefix + tenantId + "/", TenancyJsonContext.Default.AuditEntry, cancellationToken);
        return [.. all.Select(r => r.Value).Reverse().Take(limit)];
    }
}
