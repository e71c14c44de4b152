using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>The process runtime's log messages.</summary>
internal static partial class ProcessRuntimeLog
{
    [LoggerMessage(1, LogLevel.Information, "Container {Id} ({PodNamespace}/{PodName} {ContainerName}, attempt {Attempt}) started as pid {Pid}")]
    public static partial void Started(ILogger logger, string id, string podNamespace, string podName, string containerName, int attempt, int pid);

    [LoggerMessage(2, LogLevel.Warning, "Container {Id} ({PodNamespace}/{PodName} {ContainerName}, attempt {Attempt}) could not start: {Message}")]
    public static partial void StartFailed(ILogger logger, string id, string podNamespace, string podName, string containerName, int attempt, string message);

    [LoggerMessage(3, LogLevel.Information, "Container {Id} did not exit within its {GraceMs} ms grace period; killing it")]
    public static partial void Killing(ILogger logger, string id, long graceMs);

    [LoggerMessage(4, LogLevel.Warning, "The state file {Path} cannot be read; that container is skipped")]
    public static partial void StateUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "Container {Id} already exists; not starting it again")]
    public static partial void AlreadyStarted(ILogger logger, string id);
}
