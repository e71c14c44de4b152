using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;

namespace EdgeCloud.Controllers.Tests.Scheduling;

/// <summary>Nodes and pods as core/v1 JSON, the way the scheduler receives them from the API.</summary>
internal static class KubeObjects
{
    public static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    public static JsonObject NodeJson(string name, string cpu = "4", string memory = "8Gi", string pods = "110",
        string? zone = null, string ready = "True", bool unschedulable = false, JsonArray? taints = null,
        JsonObject? labels = null, JsonObject? extraAllocatable = null)
    {
        labels ??= [];
        labels["kubernetes.io/hostname"] = name;
        if (zone is not null)
        {
            labels["topology.kubernetes.io/zone"] = zone;
        }

        var allocatable = new JsonObject { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = pods };
        foreach (var (key, value) in extraAllocatable ?? [])
        {
            allocatable[key] = value?.DeepClone();
        }

        var spec = new JsonObject();
        if (unschedulable)
        {
            spec["unschedulable"] = true;
        }

        if (taints is not null)
        {
            spec["taints"] = taints;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["capacity"] = allocatable.DeepClone(),
                ["allocatable"] = allocatable,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready }),
            },
        };
    }

    public static NodeSnapshot Node(string name, string cpu = "4", string memory = "8Gi", string pods = "110",
        string? zone = null, string ready = "True", bool unschedulable = false, JsonArray? taints = null,
        JsonObject? labels = null, JsonObject? extraAllocatable = null) =>
        NodeSnapshot.FromNode(NodeJson(name, cpu, memory, pods, zone, ready, unschedulable, taints, labels, extraAllocatable));

    public static JsonObject TaintJson(string key, string value, string effect) =>
        new() { ["key"] = key, ["value"] = value, ["effect"] = effect };

    /// <summary>A pod with one container requesting <paramref name="cpu"/> and <paramref name="memory"/> (omitted when null).</summary>
    public static JsonObject PodJson(string name, string? cpu = "100m", string? memory = "128Mi", string ns = "default",
        JsonObject? labels = null, string? ownerUid = null, JsonObject? specExtras = null)
    {
        var requests = new JsonObject();
        if (cpu is not null)
        {
            requests["cpu"] = cpu;
        }

        if (memory is not null)
        {
            requests["memory"] = memory;
        }

        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels ?? [] };
        if (ownerUid is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "rs", ["uid"] = ownerUid, ["controller"] = true,
            });
        }

        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "app",
                ["image"] = "nginx",
                ["resources"] = new JsonObject { ["requests"] = requests },
            }),
        };
        foreach (var (key, value) in specExtras ?? [])
        {
            spec[key] = value?.DeepClone();
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }

    public static PodRequirements Pod(string name, string? cpu = "100m", string? memory = "128Mi", string ns = "default",
        JsonObject? labels = null, string? ownerUid = null, JsonObject? specExtras = null) =>
        PodRequirements.FromPod(PodJson(name, cpu, memory, ns, labels, ownerUid, specExtras));

    public static PodRequirements PodWithSpec(string specJson, string name = "p", string labelsJson = "{}") =>
        PodRequirements.FromPod(Json($$"""{"metadata":{"name":"{{name}}","namespace":"default","labels":{{labelsJson}}},"spec":{{specJson}}}"""));

    public static SchedulerCache Cache(params NodeSnapshot[] nodes)
    {
        var cache = new SchedulerCache();
        foreach (var node in nodes)
        {
            cache.AddOrUpdateNode(node);
        }

        return cache;
    }
}
