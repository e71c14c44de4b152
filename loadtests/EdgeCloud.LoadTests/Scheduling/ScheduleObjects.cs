using System.Globalization;

namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>
/// The objects the scheduling benchmark writes: simulated Nodes with their kube-node-lease Leases, and small pods
/// from a few ReplicaSet-like label sets plus bare ones.
/// </summary>
internal static class ScheduleObjects
{
    /// <summary>Namespace of the measured pods.</summary>
    public const string MeasuredNamespace = "sched";

    /// <summary>Namespace of the baseline pods (nobody schedules them).</summary>
    public const string BaselineNamespace = "baseline";

    /// <summary>Namespace of the warm-up pods, bound before anything is measured.</summary>
    public const string WarmupNamespace = "warmup";

    /// <summary>A schedulerName no scheduler serves: the baseline's pods stay pending, so it measures creation alone.</summary>
    public const string UnservedScheduler = "bench-unserved-scheduler";

    /// <summary>Zones the nodes are spread over, round robin.</summary>
    public static readonly IReadOnlyList<string> Zones = ["zone-a", "zone-b", "zone-c", "zone-d", "zone-e"];

    // Four label sets as ReplicaSets' pods carry them (app plus pod-template-hash); every fifth pod is bare.
    private const int LabelSets = 5;

    public static string NodeName(int index) => $"node-{index:D5}";

    public static string ZoneOf(int nodeIndex) => Zones[nodeIndex % Zones.Count];

    public static string PodName(int index) => $"pod-{index:D6}";

    /// <summary>
    /// A Ready node as an agent registers it: hostname and zone labels, allocatable cpu/memory/pods (pods: room for
    /// twice the average share, at least kubelet's 110), Ready=True with a fresh heartbeat.
    /// </summary>
    public static string NodeJson(int index, int podsPerNodeRoom, DateTimeOffset now)
    {
        var name = NodeName(index);
        var stamp = Timestamp(now);
        var pods = podsPerNodeRoom.ToString(CultureInfo.InvariantCulture);
        return $$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","labels":{"kubernetes.io/hostname":"{{{name}}}","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","topology.kubernetes.io/zone":"{{{ZoneOf(index)}}}"}},
            "spec":{},
            "status":{"capacity":{"cpu":"64","memory":"256Gi","pods":"{{{pods}}}"},"allocatable":{"cpu":"64","memory":"256Gi","pods":"{{{pods}}}"},
            "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"{{{stamp}}}","lastTransitionTime":"{{{stamp}}}"}],
            "nodeInfo":{"machineID":"{{{Id(index, 'm')}}}","systemUUID":"{{{Id(index, 's')}}}","bootID":"{{{Id(index, 'b')}}}","kernelVersion":"6.8.0","osImage":"EdgeCloud simulated node","containerRuntimeVersion":"containerd://2.0.0","kubeletVersion":"v1.33.0","kubeProxyVersion":"v1.33.0","operatingSystem":"linux","architecture":"amd64"}
            """ + "}}";
    }

    /// <summary>The node's Lease in kube-node-lease, renewed now.</summary>
    public static string LeaseJson(int index, DateTimeOffset now) =>
        $$$"""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"{{{NodeName(index)}}}","namespace":"kube-node-lease"},"spec":{"holderIdentity":"{{{NodeName(index)}}}","leaseDurationSeconds":40,"renewTime":"{{{MicroTime(now)}}}"}}""";

    /// <summary>The merge patch a node sends to renew its Lease.</summary>
    public static string LeaseRenewalJson(DateTimeOffset now) => $$$"""{"spec":{"renewTime":"{{{MicroTime(now)}}}"}}""";

    /// <summary>
    /// Pod <paramref name="index"/>: one container requesting 10m cpu and 16Mi memory, labelled as one of four
    /// ReplicaSets' pods or bare. <paramref name="schedulerName"/> null leaves the default scheduler.
    /// </summary>
    public static string PodJson(int index, string? schedulerName)
    {
        var set = index % LabelSets;
        var labels = set == LabelSets - 1
            ? """{"bench":"schedule"}"""
            : $$$"""{"bench":"schedule","app":"web-{{{set}}}","pod-template-hash":"7f9c6d{{{set}}}b5"}""";
        var scheduler = schedulerName is null ? "" : $$$""","schedulerName":"{{{schedulerName}}}" """;
        return $$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{{PodName(index)}}}}","labels":{{{{labels}}}}},"spec":{"containers":[{"name":"app","image":"registry.k8s.io/pause:3.10","resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]{{{{scheduler}}}}}}""";
    }

    // A stable 32-hex-digit id per node and purpose, as machine-id and boot_id look.
    private static string Id(int index, char purpose) => $"{(int)purpose:x2}{index:x30}";

    private static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string MicroTime(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
