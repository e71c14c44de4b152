using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Controllers;

/// <summary>One control loop, instantiated per cluster while this process leads the cluster.</summary>
public interface IClusterController
{
    /// <summary>The kinds whose objects the controller reads from the cache.</summary>
    IEnumerable<KindDefinition> Watches { get; }

    /// <summary>Subscribes to the cache (before it lists); called once.</summary>
    void Attach(ClusterContext context);

    /// <summary>Called once the cache holds the first list: queue what needs a look.</summary>
    void Synced();
}
