using System.Text.Json.Nodes;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Pods;

/// <summary>Reads a container's <c>resources</c> (requests and limits of cpu and memory) into <see cref="ContainerResources"/>.</summary>
internal static class ContainerResourceSpec
{
    /// <summary>
    /// The container's resources; other resource names (ephemeral-storage, extended resources) are not applied by
    /// any runtime and are left out. A value that is not a positive quantity fails the container's configuration.
    /// </summary>
    /// <exception cref="ContainerConfigException">A cpu or memory value cannot be read.</exception>
    public static ContainerResources Read(JsonObject? resources)
    {
        if (resources is null)
        {
            return ContainerResources.None;
        }

        var limits = resources["limits"] as JsonObject;
        var requests = resources["requests"] as JsonObject;
        var memoryLimit = Quantity(limits, "limits", "memory");
        var cpuLimit = Quantity(limits, "limits", "cpu");
        var cpuRequest = Quantity(requests, "requests", "cpu") ?? cpuLimit;
        return new ContainerResources
        {
            // Bytes and millicores are whole: a fraction rounds up, as Kubernetes rounds quantities.
            MemoryLimitBytes = memoryLimit is { } bytes ? (long)decimal.Ceiling(bytes) : null,
            CpuLimitMillicores = cpuLimit is { } limit ? (long)decimal.Ceiling(limit * 1000) : null,
            CpuRequestMillicores = cpuRequest is { } request ? (long)decimal.Ceiling(request * 1000) : null,
        };
    }

    private static decimal? Quantity(JsonObject? list, string listName, string resource)
    {
        if (list?[resource] is not { } node)
        {
            return null;
        }

        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node.ToJsonString();
        // At most 2^62 bytes or millicores keeps every conversion inside a long.
        if (!ResourceQuantityText.TryParse(text, out var quantity) || quantity < 0 || quantity * (resource == "cpu" ? 1000 : 1) > (1L << 62))
        {
            throw new ContainerConfigException($"resources.{listName}.{resource}: \"{text}\" is not a quantity the agent can apply");
        }

        return quantity;
    }
}
