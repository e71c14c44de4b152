using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Kinds;

public sealed class PrinterColumnTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-01-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    // The row kubectl would print: all columns, or only priority 0 ones.
    private static string Row(KindDefinition kind, string json, bool wide = true) =>
        string.Join(" | ", kind.PrinterColumns
            .Where(c => wide || c.Priority == 0)
            .Select(c => c.Cell(JsonNode.Parse(json)!.AsObject(), Now)?.ToString() ?? "<none>"));

    private static string Headers(KindDefinition kind) => string.Join(",", kind.PrinterColumns.Select(c => c.Priority == 0 ? c.Name : c.Name + "*"));

    [Fact]
    public void Headers_match_kube_apiserver_tables()
    {
        Assert.Equal("Ready,Up-to-date,Available,Age,Containers*,Images*,Selector*", Headers(DeploymentKind.Definition));
        Assert.Equal("Desired,Current,Ready,Age,Containers*,Images*,Selector*", Headers(ReplicaSetKind.Definition));
        Assert.Equal("Desired,Current,Ready,Up-to-date,Available,Node Selector,Age,Containers*,Images*,Selector*", Headers(DaemonSetKind.Definition));
        Assert.Equal("Status,Roles,Age,Version,Internal-IP*,External-IP*,OS-Image*,Kernel-Version*,Container-Runtime*", Headers(NodeKind.Definition));
        Assert.Equal("Type,Cluster-IP,External-IP,Port(s),Age,Selector*", Headers(ServiceKind.Definition));
        Assert.Equal("Last Seen,Type,Reason,Object,Subobject*,Source*,Message,First Seen*,Count*,Name*", Headers(EventKind.Definition));
        Assert.Equal("Status,Completions,Duration,Age,Containers*,Images*,Selector*", Headers(JobKind.Definition));
        Assert.Equal("Status,Age", Headers(NamespaceKind.Definition));
        Assert.Equal("Data,Age", Headers(ConfigMapKind.Definition));
        Assert.Equal("Type,Data,Age", Headers(SecretKind.Definition));
        Assert.Equal("Secrets,Age", Headers(ServiceAccountKind.Definition));
        Assert.Equal("Holder,Age", Headers(LeaseKind.Definition));
        Assert.Equal("Created At", Headers(CustomResourceDefinitionKind.Definition));
    }

    [Theory]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:55:00Z","labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":"","kubernetes.io/role":"edge"}},"status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],"addresses":[{"type":"Hostname","address":"n1"},{"type":"InternalIP","address":"192.168.1.10"},{"type":"InternalIP","address":"fd00::10"}],"nodeInfo":{"kubeletVersion":"v1.33.0","osImage":"Ubuntu 24.04 LTS","kernelVersion":"6.8.0","containerRuntimeVersion":"containerd://1.7.22"}}}""",
        "Ready | control-plane,edge,worker | 5m | v1.33.0 | 192.168.1.10 | <none> | Ubuntu 24.04 LTS | 6.8.0 | containerd://1.7.22")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-08T09:00:00Z"},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"Unknown"}],"addresses":[{"type":"ExternalIP","address":"203.0.113.7"}],"nodeInfo":{"kubeletVersion":"v1.32.1"}}}""",
        "NotReady,SchedulingDisabled | <none> | 2d3h | v1.32.1 | <none> | 203.0.113.7 | <unknown> | <unknown> | <unknown>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:59:30Z"},"spec":{"unschedulable":true},"status":{}}""",
        "Unknown,SchedulingDisabled | <none> | 30s |  | <none> | <none> | <unknown> | <unknown> | <unknown>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:00:00Z"},"status":{"conditions":[{"type":"Ready","status":"False"}]}}""",
        "NotReady | <none> | 60m |  | <none> | <none> | <unknown> | <unknown> | <unknown>")]
    public void Node_rows(string node, string expected) => Assert.Equal(expected, Row(NodeKind.Definition, node));

    [Theory]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:00:00Z"},"spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10","fd00::a"],"ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"selector":{"tier":"web","app":"shop"}}}""",
        "ClusterIP | 10.96.0.10 | <none> | 80/TCP,53/UDP | 60m | app=shop,tier=web")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:00:00Z"},"spec":{"type":"NodePort","clusterIP":"10.96.0.11","ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":443,"nodePort":30443}],"externalIPs":["198.51.100.1","198.51.100.2"]}}""",
        "NodePort | 10.96.0.11 | 198.51.100.1,198.51.100.2 | 80:30080/TCP,443:30443/TCP | 60m | <none>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:00:00Z"},"spec":{"type":"LoadBalancer","clusterIPs":["10.96.0.12"],"ports":[{"port":443,"nodePort":31443,"protocol":"TCP"}],"externalIPs":["198.51.100.9"]},"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"},{"hostname":"lb.example.com"},{"ip":"203.0.113.1","hostname":"ignored"}]}}}""",
        "LoadBalancer | 10.96.0.12 | 203.0.113.1,203.0.113.9,lb.example.com,198.51.100.9 | 443:31443/TCP | 60m | <none>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:00:00Z"},"spec":{"type":"LoadBalancer","clusterIPs":["10.96.0.13"],"ports":[{"port":80,"nodePort":30001,"protocol":"TCP"}]},"status":{"loadBalancer":{}}}""",
        "LoadBalancer | 10.96.0.13 | <pending> | 80:30001/TCP | 60m | <none>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:00:00Z"},"spec":{"type":"ExternalName","externalName":"db.example.com"}}""",
        "ExternalName | <none> | db.example.com | <none> | 60m | <none>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:00:00Z"},"spec":{"type":"ClusterIP","clusterIP":"None","clusterIPs":["None"],"ports":[{"port":5432,"protocol":"TCP"}]}}""",
        "ClusterIP | None | <none> | 5432/TCP | 60m | <none>")]
    public void Service_rows(string service, string expected) => Assert.Equal(expected, Row(ServiceKind.Definition, service));

    [Fact]
    public void Deployment_row()
    {
        const string deployment = """{"metadata":{"creationTimestamp":"2025-01-09T12:00:00Z"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["front","edge"]},{"key":"canary","operator":"DoesNotExist"}]},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"sidecar","image":"envoy:1.30"}]}}},"status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}""";
        Assert.Equal("2/3 | 3 | 2 | 24h", Row(DeploymentKind.Definition, deployment, wide: false));
        Assert.Equal("2/3 | 3 | 2 | 24h | nginx,sidecar | nginx:1.27,envoy:1.30 | app=web,!canary,tier in (edge,front)", Row(DeploymentKind.Definition, deployment));
    }

    [Fact]
    public void ReplicaSet_and_DaemonSet_rows()
    {
        const string rs = """{"metadata":{"creationTimestamp":"2025-01-10T11:58:00Z"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},"status":{"replicas":2,"readyReplicas":1}}""";
        Assert.Equal("2 | 2 | 1 | 2m | c | i | app=web", Row(ReplicaSetKind.Definition, rs));
        const string ds = """{"metadata":{"creationTimestamp":"2025-01-10T09:30:00Z"},"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux","edge":"true"},"containers":[{"name":"agent","image":"agent:1"}]}}},"status":{"desiredNumberScheduled":4,"currentNumberScheduled":4,"numberReady":3,"updatedNumberScheduled":4,"numberAvailable":3}}""";
        Assert.Equal("4 | 4 | 3 | 4 | 3 | edge=true,kubernetes.io/os=linux | 150m | agent | agent:1 | app=agent", Row(DaemonSetKind.Definition, ds));
    }

    [Theory]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T11:50:00Z"},"spec":{"completions":3,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},"template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}},"status":{"startTime":"2025-01-10T11:50:00Z","active":1,"succeeded":1}}""",
        "Running | 1/3 | 10m | 10m | pi | perl | batch.kubernetes.io/controller-uid=u1")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T10:00:00Z"},"spec":{"completions":1},"status":{"startTime":"2025-01-10T10:00:00Z","completionTime":"2025-01-10T10:00:42Z","succeeded":1,"conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}""",
        "Complete | 1/1 | 42s | 120m |  |  | <none>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T10:00:00Z"},"spec":{"parallelism":4},"status":{"startTime":"2025-01-10T10:00:00Z","failed":7,"conditions":[{"type":"FailureTarget","status":"True"},{"type":"Failed","status":"True"}]}}""",
        "Failed | 0/1 of 4 | 120m | 120m |  |  | <none>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T10:00:00Z","deletionTimestamp":"2025-01-10T11:59:00Z"},"spec":{"completions":2},"status":{"conditions":[{"type":"Suspended","status":"True"}]}}""",
        "Terminating | 0/2 |  | 120m |  |  | <none>")]
    [InlineData("""{"metadata":{"creationTimestamp":"2025-01-10T10:00:00Z"},"spec":{"parallelism":1,"suspend":true},"status":{"conditions":[{"type":"Complete","status":"False"},{"type":"Suspended","status":"True"}]}}""",
        "Suspended | 0/1 |  | 120m |  |  | <none>")]
    public void Job_rows(string job, string expected) => Assert.Equal(expected, Row(JobKind.Definition, job));

    [Fact]
    public void Event_rows()
    {
        const string legacy = """{"metadata":{"name":"web-1.17f"},"involvedObject":{"kind":"Pod","name":"web-1","fieldPath":"spec.containers{nginx}"},"reason":"BackOff","message":"  Back-off restarting failed container\n","type":"Warning","source":{"component":"kubelet","host":"edge-1"},"firstTimestamp":"2025-01-10T11:00:00Z","lastTimestamp":"2025-01-10T11:58:00Z","count":12}""";
        Assert.Equal("2m | Warning | BackOff | pod/web-1 | spec.containers{nginx} | kubelet, edge-1 | Back-off restarting failed container | 60m | 12 | web-1.17f", Row(EventKind.Definition, legacy));

        const string newApi = """{"metadata":{"name":"n.1"},"involvedObject":{"kind":"Node"},"reason":"Starting","message":"m","type":"Normal","eventTime":"2025-01-10T11:59:00.000001Z","reportingComponent":"edge-agent","reportingInstance":"","series":{"count":4,"lastObservedTime":"2025-01-10T11:59:50.5Z"}}""";
        Assert.Equal("9s | Normal | Starting | node | m", Row(EventKind.Definition, newApi, wide: false));
        Assert.Equal("9s | Normal | Starting | node |  | edge-agent | m | 59s | 4 | n.1", Row(EventKind.Definition, newApi));

        const string singleton = """{"metadata":{"name":"s"},"involvedObject":{"kind":"Deployment","name":"web"},"eventTime":"2025-01-10T11:57:00Z"}""";
        Assert.Equal("3m |  |  | deployment/web |  |  |  | 3m | 1 | s", Row(EventKind.Definition, singleton));
    }

    [Fact]
    public void Small_kinds_rows()
    {
        Assert.Equal("Terminating | 5d", Row(NamespaceKind.Definition, """{"metadata":{"creationTimestamp":"2025-01-05T12:00:00Z"},"status":{"phase":"Terminating"}}"""));
        Assert.Equal("3 | <unknown>", Row(ConfigMapKind.Definition, """{"metadata":{},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}"""));
        Assert.Equal("kubernetes.io/tls | 3 | 45s", Row(SecretKind.Definition, """{"metadata":{"creationTimestamp":"2025-01-10T11:59:15Z"},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""},"stringData":{"tls.key":"x","ca.crt":"y"}}"""));
        Assert.Equal("1 | 2y10d", Row(ServiceAccountKind.Definition, """{"metadata":{"creationTimestamp":"2023-01-01T00:00:00Z"},"secrets":[{"name":"t"}]}"""));
        Assert.Equal("edge-1 | 10m", Row(LeaseKind.Definition, """{"metadata":{"creationTimestamp":"2025-01-10T11:50:00Z"},"spec":{"holderIdentity":"edge-1"}}"""));
        Assert.Equal("2025-01-10T11:50:00Z", Row(CustomResourceDefinitionKind.Definition, """{"metadata":{"creationTimestamp":"2025-01-10T12:50:00+01:00"}}"""));
    }

    [Fact]
    public void Cells_read_numbers_of_objects_built_in_code()
    {
        var deployment = new JsonObject
        {
            ["spec"] = new JsonObject { ["replicas"] = 5 },
            ["status"] = new JsonObject { ["readyReplicas"] = 4L, ["updatedReplicas"] = (short)5 },
        };
        Assert.Equal("4/5", DeploymentKind.Definition.PrinterColumns[0].Cell(deployment, Now)?.ToString());
        Assert.Equal("5", DeploymentKind.Definition.PrinterColumns[1].Cell(deployment, Now)?.ToString());
    }
}
