using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Pods;

/// <summary>Log messages of the pod lifecycle.</summary>
internal static partial class PodLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Namespace}/{Name}: container {Container} started (attempt {Attempt})")]
    public static partial void Started(ILogger logger, string @namespace, string name, string container, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Namespace}/{Name}: container {Container} could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string @namespace, string name, string container, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Namespace}/{Name}: adopted container {Container} attempt {Attempt} (running: {Running}) from an earlier agent run")]
    public static partial void Adopted(ILogger logger, string @namespace, string name, string container, int attempt, bool running);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Namespace}/{Name}: container {Container} failed its liveness probe and is restarted")]
    public static partial void LivenessFailed(ILogger logger, string @namespace, string name, string container);

    [LoggerMessage(Level = LogLevel.Error, Message = "pod {Namespace}/{Name}: its worker failed")]
    public static partial void WorkerFailed(ILogger logger, string @namespace, string name, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a pod from the cloud could not be read and is ignored: {Reason}")]
    public static partial void Unreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Namespace}/{Name}: gone from the cloud; its containers are stopped and removed")]
    public static partial void Forgotten(ILogger logger, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Namespace}/{Name}: container {Container} belongs to no cached pod and is removed")]
    public static partial void OrphanRemoved(ILogger logger, string @namespace, string name, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "starting {Count} pods from the local cache")]
    public static partial void StartingFromCache(ILogger logger, int count);
}
