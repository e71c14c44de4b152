using EdgeCloud.Agent.Runtime.Docker;
using EdgeCloud.Agent.Runtime.Process;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Runtime;

/// <summary>The container runtime --runtime names.</summary>
internal static class RuntimeFactory
{
    public static IContainerRuntime Create(AgentOptions options, TimeProvider time, ILoggerFactory loggers) => options.Runtime switch
    {
        "process" => new ProcessRuntime(options.PodsDirectory, time, loggers.CreateLogger<ProcessRuntime>()),
        "docker" => new DockerRuntime(new DockerRuntimeOptions { SocketPath = options.DockerSocket }, loggers.CreateLogger<DockerRuntime>(), time),
        _ => throw new ArgumentException($"unknown runtime \"{options.Runtime}\": use process or docker"),
    };
}
