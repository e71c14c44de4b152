namespace EdgeCloud.Tenancy;

/// <summary>
/// A tenancy request that cannot be done, with the HTTP status and Kubernetes Status reason the API answers
/// (400 Invalid, 401 Unauthorized, 403 Forbidden, 404 NotFound, 409 AlreadyExists or Conflict, 429 TooManyRequests).
/// The message is meant for the user.
/// </summary>
public sealed class TenancyException(int code, string reason, string message) : Exception(message)
{
    /// <summary>The HTTP status code.</summary>
    public int Code { get; } = code;

    /// <summary>The Kubernetes Status reason, e.g. "Forbidden".</summary>
    public string Reason { get; } = reason;

    /// <summary>400 Invalid: bad input, with what to change.</summary>
    public static TenancyException Invalid(string message) => new(400, "Invalid", message);

    /// <summary>404 NotFound; also what a caller gets for another tenant's objects, so it learns nothing of them.</summary>
    public static TenancyException NotFound(string what) => new(404, "NotFound", what + " not found");

    /// <summary>403 Forbidden: the caller's role does not allow it.</summary>
    public static TenancyException Forbidden(string message) => new(403, "Forbidden", message);
}
