namespace EdgeCloud.Controllers.Scheduling;

/// <summary>Settings of <see cref="PodScheduler"/>.</summary>
public sealed class PodSchedulerOptions
{
    /// <summary>
    /// The share of nodes, in percent, that must be found feasible before the search stops and scoring starts
    /// (kube-scheduler's percentageOfNodesToScore). 0, the default, is adaptive: 50% minus 1% per 125 nodes, at
    /// least 5%; at least 100 nodes are looked for either way. 100 always considers every node.
    /// </summary>
    public int PercentageOfNodesToScore { get; set; }
}
