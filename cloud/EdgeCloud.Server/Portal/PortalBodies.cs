namespace EdgeCloud.Server.Portal;

/// <summary>POST /api/v1/signup.</summary>
/// <param name="Email">The account's email address.</param>
/// <param name="Password">At least 10 characters.</param>
/// <param name="TenantName">The first tenant's display name.</param>
internal sealed record SignupBody(string? Email, string? Password, string? TenantName);

/// <summary>POST /api/v1/login.</summary>
/// <param name="Email">The account's email address.</param>
/// <param name="Password">Its password.</param>
internal sealed record LoginBody(string? Email, string? Password);

/// <summary>POST /api/v1/tenants/{tenant}/clusters.</summary>
/// <param name="Name">A DNS label, unique in the tenant.</param>
internal sealed record CreateClusterBody(string? Name);

/// <summary>POST /api/v1/tenants/{tenant}/members.</summary>
/// <param name="Email">An existing account's email.</param>
/// <param name="Role">owner, admin or viewer.</param>
internal sealed record MemberBody(string? Email, string? Role);

/// <summary>PUT /api/v1/tenants/{tenant}/plan.</summary>
/// <param name="Plan">The name of an offered plan.</param>
internal sealed record PlanBody(string? Plan);
