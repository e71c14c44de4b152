using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Streams;

/// <summary>Log messages of the node streams (kubectl logs and exec) the agent serves.</summary>
internal static partial class PodStreamLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused node stream {StreamId}: {Reason}")]
    public static partial void Refused(ILogger logger, int streamId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Kind} of {Namespace}/{Pod} container {Container}")]
    public static partial void Serving(ILogger logger, string kind, string @namespace, string pod, string container);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forwarding a connection to port {Port} of {Namespace}/{Pod}")]
    public static partial void ForwardingPort(ILogger logger, string @namespace, string pod, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} of {Namespace}/{Pod} container {Container} failed")]
    public static partial void Failed(ILogger logger, string kind, string @namespace, string pod, string container, Exception error);
}
