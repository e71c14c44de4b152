using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>A mutable sum of resources: what a pod's containers add up to, or what is bound to a node.</summary>
internal sealed class ResourceTally
{
    public long MilliCpu;
    public long Memory;
    public long EphemeralStorage;
    public Dictionary<string, long>? Extended;

    /// <summary>Adds a core/v1 ResourceList (<c>{"cpu":"500m","memory":"1Gi"}</c>); names in <paramref name="skip"/> are left out.</summary>
    /// <exception cref="FormatException">A value is not a quantity.</exception>
    public void AddList(JsonObject? list, JsonObject? skip = null)
    {
        if (list is null)
        {
            return;
        }

        foreach (var (name, node) in list)
        {
            if (skip is not null && skip.ContainsKey(name))
            {
                continue;
            }

            var quantity = Quantity(name, node);
            switch (name)
            {
                case ResourceNames.Cpu:
                    MilliCpu += quantity.ToMilli();
                    break;
                case ResourceNames.Memory:
                    Memory += quantity.ToValue();
                    break;
                case ResourceNames.EphemeralStorage:
                    EphemeralStorage += quantity.ToValue();
                    break;
                default:
                    if (ResourceNames.IsScalar(name))
                    {
                        AddExtended(name, quantity.ToValue());
                    }

                    break;
            }
        }
    }

    public void Add(ResourceTally other) => Combine(other, 1);

    public void Subtract(ResourceTally other) => Combine(other, -1);

    /// <summary>Raises each resource to at least <paramref name="other"/>'s (init containers run one at a time).</summary>
    public void MaxWith(ResourceTally other)
    {
        MilliCpu = Math.Max(MilliCpu, other.MilliCpu);
        Memory = Math.Max(Memory, other.Memory);
        EphemeralStorage = Math.Max(EphemeralStorage, other.EphemeralStorage);
        if (other.Extended is null)
        {
            return;
        }

        foreach (var (name, amount) in other.Extended)
        {
            Extended ??= new Dictionary<string, long>(StringComparer.Ordinal);
            Extended[name] = Math.Max(Extended.GetValueOrDefault(name), amount);
        }
    }

    public ResourceTally Clone()
    {
        var copy = new ResourceTally { MilliCpu = MilliCpu, Memory = Memory, EphemeralStorage = EphemeralStorage };
        if (Extended is not null)
        {
            copy.Extended = new Dictionary<string, long>(Extended, StringComparer.Ordinal);
        }

        return copy;
    }

    public long GetExtended(string name) => Extended is not null && Extended.TryGetValue(name, out var amount) ? amount : 0;

    public ResourceAmounts ToAmounts(long pods) => new()
    {
        MilliCpu = MilliCpu,
        Memory = Memory,
        EphemeralStorage = EphemeralStorage,
        Pods = pods,
        Extended = Extended is null ? ResourceAmounts.None.Extended : new Dictionary<string, long>(Extended, StringComparer.Ordinal),
    };

    private void Combine(ResourceTally other, int sign)
    {
        MilliCpu += sign * other.MilliCpu;
        Memory += sign * other.Memory;
        EphemeralStorage += sign * other.EphemeralStorage;
        if (other.Extended is null)
        {
            return;
        }

        foreach (var (name, amount) in other.Extended)
        {
            AddExtended(name, sign * amount);
        }
    }

    private void AddExtended(string name, long amount)
    {
        Extended ??= new Dictionary<string, long>(StringComparer.Ordinal);
        var total = Extended.GetValueOrDefault(name) + amount;
        if (total == 0)
        {
            Extended.Remove(name);
        }
        else
        {
            Extended[name] = total;
        }
    }

    internal static ResourceQuantity Quantity(string name, JsonNode? node)
    {
        // The API server stores quantities as strings; a client may have sent a bare number.
        var text = node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString();
        return ResourceQuantity.TryParse(text, out var quantity)
            ? quantity
            : throw new FormatException($"resource {name}: \"{text}\" is not a quantity");
    }
}
