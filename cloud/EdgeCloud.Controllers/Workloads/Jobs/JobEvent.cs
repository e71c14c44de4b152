namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>An Event the job controller records on the Job for a decision (what kubectl describe job shows).</summary>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">The upstream reason, e.g. Completed, BackoffLimitExceeded, Suspended.</param>
/// <param name="Message">The upstream message, e.g. "Job completed".</param>
public sealed record JobEvent(string Type, string Reason, string Message);
