namespace EdgeCloud.Controllers.Scheduling;

/// <summary>The core/v1 resource names the scheduler treats specially.</summary>
public static class ResourceNames
{
    /// <summary>CPU, counted in millicores.</summary>
    public const string Cpu = "cpu";

    /// <summary>Memory, in bytes.</summary>
    public const string Memory = "memory";

    /// <summary>Local ephemeral storage, in bytes.</summary>
    public const string EphemeralStorage = "ephemeral-storage";

    /// <summary>The number of pods a node takes.</summary>
    public const string Pods = "pods";

    /// <summary>
    /// True for the names kube-scheduler accounts as scalar resources (schedutil.IsScalarResourceName): extended
    /// resources and prefixed native ones (any name with a '/'), huge pages and attachable volumes. Other
    /// unprefixed names are ignored, as upstream does.
    /// </summary>
    public static bool IsScalar(string name) =>
        name.Contains('/', StringComparison.Ordinal)
        || name.StartsWith("hugepages-", StringComparison.Ordinal)
        || name.StartsWith("attachable-volumes-", StringComparison.Ordinal);
}
