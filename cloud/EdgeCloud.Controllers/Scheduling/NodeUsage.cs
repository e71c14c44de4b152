namespace EdgeCloud.Controllers.Scheduling;

/// <summary>What the scheduler cache counts as bound to a node.</summary>
/// <param name="Requested">The sum of the bound pods' effective requests; <see cref="ResourceAmounts.Pods"/> is the pod count.</param>
/// <param name="PodKeys">The keys of the bound pods, sorted.</param>
public sealed record NodeUsage(ResourceAmounts Requested, IReadOnlyList<string> PodKeys);
