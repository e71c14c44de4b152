namespace EdgeCloud.Tenancy;

/// <summary>
/// Tenants and their members. A membership is stored twice, under the tenant (its member list) and under the
/// account (its tenant list), both written on every change; the tenant's copy decides access.
/// </summary>
public sealed class Tenants(SystemRecords records, AuditLog audit, TimeProvider time)
{
    private const string TenantPrefix = "/tenancy/tenants/";
    private const string AccountTenantsPrefix = "/tenancy/account-tenants/";

    /// <summary>Creates a tenant with <paramref name="owner"/> as its first owner.</summary>
    public async Task<Tenant> CreateAsync(string name, string plan, Account owner, CancellationToken cancellationToken)
    {
        var tenant = new Tenant { Id = TenancyIds.New("t"), Name = name, Plan = plan, CreatedAt = time.GetUtcNow() };
        await records.CreateAsync(TenantKey(tenant.Id), tenant, TenancyJsonContext.Default.Tenant, cancellationToken);
        await PutMemberAsync(tenant.Id, owner, TenantRole.Owner, cancellationToken);
        await audit.WriteAsync(tenant.Id, owner.Email, "tenant.create", tenant.Id, name, cancellationToken);
        return tenant;
    }

    /// <summary>The tenant with this id, or null.</summary>
    public async Task<Tenant?> GetAsync(string id, CancellationToken cancellationToken) =>
        TenancyIds.IsWellFormed(id, "t") && await records.GetAsync(TenantKey(id), TenancyJsonContext.Default.Tenant, cancellationToken) is { } found ? found.Value : null;

    /// <summary>Moves the tenant to <paramref name="plan"/> (its clusters are held to it within the hosts' plan cache time).</summary>
    public async Task<Tenant> SetPlanAsync(string tenantId, string plan, string actor, CancellationToken cancellationToken)
    {
        while (true)
        {
            var found = await records.GetAsync(TenantKey(tenantId), TenancyJsonContext.Default.Tenant, cancellationToken) ?? throw TenancyException.NotFound("tenant");
            var changed = found.Value with { Plan = plan };
            if (await records.UpdateAsync(TenantKey(tenantId), changed, TenancyJsonContext.Default.Tenant, found.ModRevision, cancellationToken))
            {
                await audit.WriteAsync(tenantId, actor, "tenant.plan", tenantId, $"{found.Value.Plan} -> {plan}", cancellationToken);
                return changed;
            }
        }
    }

    /// <summary>The account's membership in the tenant, or null (also for a malformed or unknown tenant id).</summary>
    public async Task<Membership?> MembershipAsync(string tenantId, string accountId, CancellationToken cancellationToken) =>
        TenancyIds.IsWellFormed(tenantId, "t") && await records.GetAsync(MemberKey(tenantId, accountId), TenancyJsonContext.Default.Membership, cancellationToken) is { } found ? found.Value : null;

    /// <summary>The tenants the account belongs to.</summary>
    public async Task<IReadOnlyList<Membership>> OfAccountAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await records.ListAsync(AccountTenantsPrefix + accountId + "/", TenancyJsonContext.Default.Membership, cancellationToken)).Select(r => r.Value)];

    /// <summary>The tenant's members.</summary>
    public async Task<IReadOnlyList<Membership>> MembersAsync(string tenantId, CancellationToken cancellationToken) =>
        [.. (await records.ListAsync(TenantKey(tenantId) + "/members/", TenancyJsonContext.Default.Membership, cancellationToken)).Select(r => r.Value)];

    /// <summary>Adds <paramref name="account"/> with <paramref name="role"/>, or changes its role; refuses to leave the tenant without an owner.</summary>
    public async Task<Membership> SetMemberAsync(string tenantId, Account account, TenantRole role, string actor, CancellationToken cancellationToken)
    {
        if (role != TenantRole.Owner && await MembershipAsync(tenantId, account.Id, cancellationToken) is { Role: TenantRole.Owner })
        {
            await EnsureAnotherOwnerAsync(tenantId, account.Id, cancellationToken);
        }

        var member = await PutMemberAsync(tenantId, account, role, cancellationToken);
        await audit.WriteAsync(tenantId, actor, "member.set", account.Email, role.ToString().ToLowerInvariant(), cancellationToken);
        return member;
    }

    /// <summary>Removes the account from the tenant; refuses to remove the last owner.</summary>
    public async Task RemoveMemberAsync(string tenantId, string accountId, string actor, CancellationToken cancellationToken)
    {
        var member = await MembershipAsync(tenantId, accountId, cancellationToken) ?? throw TenancyException.NotFound("member");
        if (member.Role == TenantRole.Owner)
        {
            await EnsureAnotherOwnerAsync(tenantId, accountId, cancellationToken);
        }

        await records.DeleteAsync(MemberKey(tenantId, accountId), cancellationToken);
        await records.DeleteAsync(AccountTenantsPrefix + accountId + "/" + tenantId, cancellationToken);
        await audit.WriteAsync(tenantId, actor, "member.remove", member.Email, null, cancellationToken);
    }

    /// <summary>A valid tenant name (1 to 63 printable characters), trimmed.</summary>
    /// <exception cref="TenancyException">400 otherwise.</exception>
    public static string CheckName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 63 || trimmed.Any(char.IsControl))
        {
            throw TenancyException.Invalid("name: use 1 to 63 printable characters, e.g. \"Plant Operations\"");
        }

        return trimmed;
    }

    private async Task EnsureAnotherOwnerAsync(string tenantId, string accountId, CancellationToken cancellationToken)
    {
        if (!(await MembersAsync(tenantId, cancellationToken)).Any(m => m.Role == TenantRole.Owner && m.AccountId != accountId))
        {
            throw new TenancyException(409, "Conflict", "a tenant needs at least one owner: make another member owner first");
        }
    }

    private async Task<Membership> PutMemberAsync(string tenantId, Account account, TenantRole role, CancellationToken cancellationToken)
    {
        var member = new Membership { TenantId = tenantId, AccountId = account.Id, Email = account.Email, Role = role, AddedAt = time.GetUtcNow() };
        await PutAsync(MemberKey(tenantId, account.Id), member, cancellationToken);
        await PutAsync(AccountTenantsPrefix + account.Id + "/" + tenantId, member, cancellationToken);
        return member;
    }

    private async Task PutAsync(string key, Membership member, CancellationToken cancellationToken)
    {
        if (!await records.CreateAsync(key, member, TenancyJsonContext.Default.Membership, cancellationToken))
        {
            // An existing membership: replace it (a role change); 0 means whatever revision it has.
            await records.UpdateAsync(key, member, TenancyJsonContext.Default.Membership, 0, cancellationToken);
        }
    }

    private static string TenantKey(string tenantId) => TenantPrefix + tenantId;

    private static string MemberKey(string tenantId, string accountId) => TenantKey(tenantId) + "/members/" + accountId;
}
