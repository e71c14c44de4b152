using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Selectors;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Scheduling;

public sealed partial class PodRequirements
{
    // pkg/scheduler/util: what scoring assumes a container without a request uses.
    private const long DefaultMilliCpuRequest = 100;
    private const long DefaultMemoryRequest = 200L * 1024 * 1024;

    /// <summary>Parses a core/v1 Pod.</summary>
    /// <exception cref="FormatException">A quantity, selector or other field the scheduler reads is malformed.</exception>
    public static PodRequirements FromPod(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod["metadata"] as JsonObject;
        var name = metadata?.GetString("name") ?? "";
        var @namespace = metadata?.GetString("namespace") ?? "";
        var spec = pod["spec"] as JsonObject;
        try
        {
            var (requests, nonZero) = EffectiveRequests(spec);
            return new PodRequirements(
                name,
                @namespace,
                NodeSnapshot.StringMap(metadata?["labels"] as JsonObject),
                ControllerUidOf(metadata),
                requests,
                nonZero,
                [.. NodeSnapshot.StringMap(spec?["nodeSelector"] as JsonObject)],
                RequiredAffinity(spec),
                ParseTolerations(spec),
                SpreadConstraints(spec));
        }
        catch (Exception e) when (e is FormatException or SelectorException or InvalidOperationException)
        {
            throw new FormatException($"pod {@namespace}/{name}: {e.Message}", e);
        }
    }

    // resourcehelper.PodRequests: containers run together, init containers one at a time (each alongside the
    // sidecars, restartPolicy Always, started before it), sidecars keep running with the containers.
    private static (ResourceTally Requests, ResourceTally NonZero) EffectiveRequests(JsonObject? spec)
    {
        var requests = new ResourceTally();
        var nonZero = new ResourceTally();
        foreach (var container in Objects(spec?["containers"]))
        {
            var (r, n) = ContainerRequests(container);
            requests.Add(r);
            nonZero.Add(n);
        }

        var sidecars = new ResourceTally();
        var sidecarsNonZero = new ResourceTally();
        var initMax = new ResourceTally();
        var initMaxNonZero = new ResourceTally();
        foreach (var container in Objects(spec?["initContainers"]))
        {
            var (r, n) = ContainerRequests(container);
            if (container.GetString("restartPolicy") == "Always")
            {
                requests.Add(r);
                nonZero.Add(n);
                sidecars.Add(r);
                sidecarsNonZero.Add(n);
                r = sidecars.Clone();
                n = sidecarsNonZero.Clone();
            }
            else
            {
                r.Add(sidecars);
                n.Add(sidecarsNonZero);
            }

            initMax.MaxWith(r);
            initMaxNonZero.MaxWith(n);
        }

        requests.MaxWith(initMax);
        nonZero.MaxWith(initMaxNonZero);

        var overhead = new ResourceTally();
        overhead.AddList(spec?["overhead"] as JsonObject);
        requests.Add(overhead);
        nonZero.Add(overhead);
        return (requests, nonZero);
    }

    private static (ResourceTally Requests, ResourceTally NonZero) ContainerRequests(JsonObject container)
    {
        var resources = container["resources"] as JsonObject;
        var requestList = resources?["requests"] as JsonObject;
        var requests = new ResourceTally();
        requests.AddList(requestList);

        // API defaulting copies a limit into the request when the request is missing.
        requests.AddList(resources?["limits"] as JsonObject, skip: requestList);

        var nonZero = requests.Clone();
        if (!Has(resources, ResourceNames.Cpu))
        {
            nonZero.MilliCpu = DefaultMilliCpuRequest;
        }

        if (!Has(resources, ResourceNames.Memory))
        {
            nonZero.Memory = DefaultMemoryRequest;
        }

        return (requests, nonZero);
    }

    private static bool Has(JsonObject? resources, string name) =>
        (resources?["requests"] as JsonObject)?.ContainsKey(name) == true || (resources?["limits"] as JsonObject)?.ContainsKey(name) == true;

    private static string? ControllerUidOf(JsonObject? metadata)
    {
        foreach (var owner in Objects(metadata?["ownerReferences"]))
        {
            if (owner["controller"] is JsonValue controller && controller.GetValueKind() == JsonValueKind.True)
            {
                return owner.GetString("uid");
            }
        }

        return null;
    }

    private static NodeAffinityTerm[]? RequiredAffinity(JsonObject? spec)
    {
        if (spec?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"] is not JsonObject required)
        {
            return null;
        }

        var terms = new List<NodeAffinityTerm>();
        foreach (var term in Objects(required["nodeSelectorTerms"]))
        {
            terms.Add(new NodeAffinityTerm(Requirements(term["matchExpressions"]), Requirements(term["matchFields"])));
        }

        return [.. terms];
    }

    private static List<NodeSelectorRequirement> Requirements(JsonNode? list)
    {
        var result = new List<NodeSelectorRequirement>();
        foreach (var expression in Objects(list))
        {
            var key = expression.GetString("key") ?? throw new FormatException("a node selector requirement has no key");
            var op = expression.GetString("operator") switch
            {
                "In" => NodeSelectorOperator.In,
                "NotIn" => NodeSelectorOperator.NotIn,
                "Exists" => NodeSelectorOperator.Exists,
                "DoesNotExist" => NodeSelectorOperator.DoesNotExist,
                "Gt" => NodeSelectorOperator.Gt,
                "Lt" => NodeSelectorOperator.Lt,
                var other => throw new FormatException($"\"{other}\" is not a valid node selector operator"),
            };
            var values = new List<string>();
            if (expression["values"] is JsonArray array)
            {
                foreach (var value in array)
                {
                    values.Add(value?.GetValue<string>() ?? "");
                }
            }

            result.Add(new NodeSelectorRequirement(key, op, values));
        }

        return result;
    }

    private static Toleration[] ParseTolerations(JsonObject? spec)
    {
        var result = new List<Toleration>();
        foreach (var toleration in Objects(spec?["tolerations"]))
        {
            result.Add(new Toleration(
                toleration.GetString("key") ?? "",
                toleration.GetString("operator") ?? "",
                toleration.GetString("value") ?? "",
                toleration.GetString("effect") ?? ""));
        }

        return [.. result];
    }

    private static TopologySpreadConstraint[] SpreadConstraints(JsonObject? spec)
    {
        var result = new List<TopologySpreadConstraint>();
        foreach (var constraint in Objects(spec?["topologySpreadConstraints"]))
        {
            result.Add(new TopologySpreadConstraint
            {
                MaxSkew = constraint["maxSkew"]?.GetValue<int>() ?? 1,
                TopologyKey = constraint.GetString("topologyKey") ?? throw new FormatException("a topology spread constraint has no topologyKey"),
                WhenUnsatisfiable = constraint.GetString("whenUnsatisfiable") switch
                {
                    "ScheduleAnyway" => UnsatisfiableConstraintAction.ScheduleAnyway,
                    _ => UnsatisfiableConstraintAction.DoNotSchedule,
                },
                Selector = LabelSelector.FromObject(constraint["labelSelector"] as JsonObject),
                MinDomains = constraint["minDomains"]?.GetValue<int>(),
            });
        }

        return [.. result];
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? list)
    {
        if (list is not JsonArray array)
        {
            yield break;
        }

        foreach (var item in array)
        {
            if (item is JsonObject obj)
            {
                yield return obj;
            }
        }
    }
}
