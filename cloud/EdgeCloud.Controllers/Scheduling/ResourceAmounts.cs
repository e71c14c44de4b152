namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// An amount of each resource the scheduler accounts for (kube-scheduler's framework.Resource): CPU in
/// thousandths of a core, memory and ephemeral storage in bytes, a number of pods, and extended resources
/// (<c>example.com/gpu</c>, <c>hugepages-2Mi</c>) by name in whole units. Immutable.
/// </summary>
public sealed class ResourceAmounts
{
    private static readonly IReadOnlyDictionary<string, long> NoExtended = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>No resources at all.</summary>
    public static ResourceAmounts None { get; } = new();

    /// <summary>CPU in millicores (<c>500m</c> is 500, <c>2</c> is 2000).</summary>
    public long MilliCpu { get; init; }

    /// <summary>Memory in bytes.</summary>
    public long Memory { get; init; }

    /// <summary>Ephemeral storage in bytes.</summary>
    public long EphemeralStorage { get; init; }

    /// <summary>Pods: a node's capacity for pods, or 1 for a pod's own requirements.</summary>
    public long Pods { get; init; }

    /// <summary>Extended and other scalar resources by name, in whole units; empty when none.</summary>
    public IReadOnlyDictionary<string, long> Extended { get; init; } = NoExtended;

    /// <summary>The amount of <paramref name="resourceName"/> (<c>cpu</c> in millicores, others in units); 0 when absent.</summary>
    public long Get(string resourceName) => resourceName switch
    {
        ResourceNames.Cpu => MilliCpu,
        ResourceNames.Memory => Memory,
        ResourceNames.EphemeralStorage => EphemeralStorage,
        ResourceNames.Pods => Pods,
        _ => Extended.TryGetValue(resourceName, out var amount) ? amount : 0,
    };
}
