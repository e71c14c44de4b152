namespace EdgeCloud.Kube.Api;

/// <summary>
/// A request the API refuses, carrying what kube-apiserver puts in a metav1.Status: HTTP code, reason
/// (NotFound, AlreadyExists, Conflict, Invalid, BadRequest, ...), message and details. The HTTP layer renders it.
/// </summary>
public sealed class KubeApiException : Exception
{
    /// <summary>Creates the error.</summary>
    public KubeApiException(int code, string reason, string message, StatusDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    /// <summary>HTTP status code.</summary>
    public int Code { get; }

    /// <summary>metav1.StatusReason, e.g. "NotFound".</summary>
    public string Reason { get; }

    /// <summary>Name, group, kind and causes, when known.</summary>
    public StatusDetails? Details { get; }

    /// <summary>Seconds a client should wait before retrying (429, 503, some 409s), if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>404: <c>pods "web" not found</c>.</summary>
    public static KubeApiException NotFound(string group, string plural, string name) =>
        new(404, "NotFound", $"{Qualified(group, plural)} \"{name}\" not found", new StatusDetails { Name = name, Group = group, Kind = plural });

    /// <summary>409: <c>pods "web" already exists</c>.</summary>
    public static KubeApiException AlreadyExists(string group, string plural, string name) =>
        new(409, "AlreadyExists", $"{Qualified(group, plural)} \"{name}\" already exists", new StatusDetails { Name = name, Group = group, Kind = plural });

    /// <summary>409 for a stale resourceVersion, with kube-apiserver's wording so that kubectl's retry logic recognises it.</summary>
    public static KubeApiException Conflict(string group, string plural, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, plural)} \"{name}\": {why}", new StatusDetails { Name = name, Group = group, Kind = plural });

    /// <summary>422 with the field causes: <c>Pod "web" is invalid: spec.containers: Required value</c>.</summary>
    public static KubeApiException Invalid(string group, string kind, string name, IReadOnlyList<StatusCause> causes)
    {
        var summary = causes.Count == 1
            ? $"{causes[0].Field}: {causes[0].Message}"
            : $"[{string.Join(", ", causes.Select(static c => $"{c.Field}: {c.Message}"))}]";
        return new(422, "Invalid", $"{Qualified(group, kind)} \"{name}\" is invalid: {summary}",
            new StatusDetails { Name = name, Group = group, Kind = kind, Causes = causes });
    }

    /// <summary>403: <c>namespaces "default" is forbidden: this namespace may not be deleted</c>.</summary>
    public static KubeApiException Forbidden(string group, string plural, string name, string why) =>
        new(403, "Forbidden", $"{Qualified(group, plural)} \"{name}\" is forbidden: {why}", new StatusDetails { Name = name, Group = group, Kind = plural });

    /// <summary>400 with a plain message.</summary>
    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>405: the verb is not served on this resource.</summary>
    public static KubeApiException MethodNotSupported(string plural, string verb) =>
        new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{plural}\"");

    /// <summary>410: the requested resourceVersion is compacted.</summary>
    public static KubeApiException Expired(string message) => new(410, "Expired", message);

    private static string Qualified(string group, string resource) => group.Length == 0 ? resource : $"{resource}.{group}";
}
