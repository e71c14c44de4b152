using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>Log messages of the docker runtime.</summary>
internal static partial class DockerRuntimeLog
{
    [LoggerMessage(1, LogLevel.Information, "Pulling image {Image} (pull policy {PullPolicy})")]
    public static partial void PullingImage(this ILogger logger, string image, string pullPolicy);

    [LoggerMessage(2, LogLevel.Warning, "Pulling image {Image} failed: {Reason}")]
    public static partial void PullFailed(this ILogger logger, string image, string reason);

    [LoggerMessage(3, LogLevel.Information, "Created container {ContainerId} ({Name}) from {Image}")]
    public static partial void ContainerCreated(this ILogger logger, string containerId, string name, string image);

    [LoggerMessage(4, LogLevel.Information, "Container {ContainerId} for {PodNamespace}/{PodName} container {ContainerName} attempt {Attempt} exists already; not creating another")]
    public static partial void ContainerExists(this ILogger logger, string containerId, string podNamespace, string podName, string containerName, int attempt);

    [LoggerMessage(5, LogLevel.Information, "Stopping container {ContainerId} (grace {GraceSeconds} s)")]
    public static partial void StoppingContainer(this ILogger logger, string containerId, int graceSeconds);

    [LoggerMessage(6, LogLevel.Debug, "Removed container {ContainerId}")]
    public static partial void ContainerRemoved(this ILogger logger, string containerId);

    [LoggerMessage(7, LogLevel.Debug, "Resizing exec {ExecId} failed")]
    public static partial void ResizeFailed(this ILogger logger, Exception exception, string execId);
}
