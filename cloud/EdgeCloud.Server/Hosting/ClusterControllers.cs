using EdgeCloud.Controllers;
using EdgeCloud.Controllers.Nodes;
using EdgeCloud.Controllers.Pods;
using EdgeCloud.Controllers.Scheduling;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Controllers.GarbageCollection;
using EdgeCloud.Controllers.Namespaces;
using EdgeCloud.Controllers.Workloads.DaemonSets;
using EdgeCloud.Controllers.Workloads.Jobs;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Hosting;

/// <summary>The control loops every cluster runs, and the manager that runs them in this replica.</summary>
internal static class ClusterControllers
{
    /// <summary>A fresh set of loops for one cluster.</summary>
    public static IReadOnlyList<IClusterController> ForOneCluster() =>
    [
        new NodeLifecycleController(),
        new PodGarbageCollector(),
        new SchedulerController(),
        new ReplicaSetController(),
        new DeploymentController(),
        new DaemonSetController(),
        new JobController(),
        new GarbageCollector(),
        new NamespaceController(),
    ];

    /// <summary>The manager of this replica, named after the host and a random suffix (unique among replicas).</summary>
    public static ControllerManager CreateManager(IServiceProvider services) => new(
        services.GetRequiredService<ResourceStore>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ControllerOptions>(),
        services.GetRequiredService<ILoggerFactory>(),
        ForOneCluster,
        $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}",
        BearerTokens.SystemCluster);
}
