using System.Text.Json;

namespace EdgeCloud.Tenancy;

/// <summary>
/// The plans tenants can be on: built-in ones, or those of a JSON file the operator gives the server
/// (<c>--plans FILE</c>: an array of <see cref="Plan"/> objects in camelCase), and which one new tenants get.
/// </summary>
public sealed class PlanCatalog
{
    /// <summary>The built-in plans.</summary>
    public static readonly IReadOnlyList<Plan> BuiltIn =
    [
        new() { Name = "free", MaxClusters = 3, MaxNodesPerCluster = 10, MaxObjectsPerCluster = 5_000, RequestsPerSecond = 20, RequestBurst = 40, MaxWatchesPerCluster = 50 },
        new() { Name = "team", MaxClusters = 25, MaxNodesPerCluster = 250, MaxObjectsPerCluster = 50_000, RequestsPerSecond = 100, RequestBurst = 200, MaxWatchesPerCluster = 1_000 },
        new() { Name = "fleet", MaxClusters = 200, MaxNodesPerCluster = 5_000, MaxObjectsPerCluster = 500_000, RequestsPerSecond = 500, RequestBurst = 1_000, MaxWatchesPerCluster = 10_000 },
    ];

    private readonly Dictionary<string, Plan> _plans;

    /// <summary>A catalog of <paramref name="plans"/> where new tenants get <paramref name="defaultPlan"/>.</summary>
    /// <exception cref="ArgumentException">A plan is unsound, two share a name, or the default is not among them.</exception>
    public PlanCatalog(IReadOnlyList<Plan> plans, string defaultPlan)
    {
        _plans = new Dictionary<string, Plan>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            if (plan.Problem() is { } problem)
            {
                throw new ArgumentException(problem);
            }

            if (!_plans.TryAdd(plan.Name, plan))
            {
                throw new ArgumentException($"two plans are named \"{plan.Name}\"");
            }
        }

        Default = _plans.GetValueOrDefault(defaultPlan) ?? throw new ArgumentException($"the default plan \"{defaultPlan}\" is not among the plans ({string.Join(", ", _plans.Keys)})");
    }

    /// <summary>The built-in plans, new tenants on "free".</summary>
    public static PlanCatalog Standard { get; } = new(BuiltIn, "free");

    /// <summary>The plan of new tenants.</summary>
    public Plan Default { get; }

    /// <summary>Every plan offered, in the order given.</summary>
    public IReadOnlyList<Plan> All => [.. _plans.Values];

    /// <summary>Whether a plan of this name is offered.</summary>
    public bool Offers(string name) => _plans.ContainsKey(name);

    /// <summary>The plan named <paramref name="name"/>; the default for a name no longer offered.</summary>
    public Plan Find(string name) => _plans.GetValueOrDefault(name) ?? Default;

    /// <summary>Reads plans from the JSON file at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file is not a JSON array of plans; the message says what is wrong.</exception>
    public static PlanCatalog Load(string path, string defaultPlan)
    {
        try
        {
            var plans = JsonSerializer.Deserialize(File.ReadAllText(path), TenancyJsonContext.Default.PlanArray)
                        ?? throw new ArgumentException($"{path} holds JSON null; write an array of plans");
            return new PlanCatalog(plans, defaultPlan);
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"{path} is not a JSON array of plans: {error.Message}", error);
        }
    }
}
