namespace EdgeCloud.Kube.Api;

/// <summary>metav1.StatusDetails: what the error is about.</summary>
public sealed record StatusDetails
{
    /// <summary>Name of the object concerned.</summary>
    public string? Name { get; init; }

    /// <summary>API group of the object.</summary>
    public string? Group { get; init; }

    /// <summary>Kind or resource of the object (kube-apiserver uses the resource for NotFound, the kind for Invalid).</summary>
    public string? Kind { get; init; }

    /// <summary>UID of the object, if known.</summary>
    public string? Uid { get; init; }

    /// <summary>Field-level causes.</summary>
    public IReadOnlyList<StatusCause> Causes { get; init; } = [];
}
