using EdgeCloud.Agent.Runtime.Process;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Runtime;

/// <summary>The container runtime --runtime names.</summary>
internal static class RuntimeFactory
{
    public static IContainerRuntime Create(AgentOptions options, TimeProvider time, ILoggerFactory loggers) => options.Runtime switch
    {
        "process" => new ProcessRuntime(options.PodsDirectory, time, loggers.CreateLogger<ProcessRuntime>()),
        _ => throw new NotSupportedException($"the {options.Runtime} runtime is not built in yet"),
    };
}
