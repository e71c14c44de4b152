using System.Text.Json.Nodes;
using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Kube.Tests.Selectors;

public sealed class FieldSelectorSupportTests
{
    private static readonly FieldSelectorSupport Support = FieldSelectorSupport.CreateDefault();

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static bool Selects(string group, string kind, string selector, string obj) =>
        Support.Bind(group, kind, selector).Matches(Json(obj));

    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop"},
         "spec":{"nodeName":"edge-7","restartPolicy":"Always","schedulerName":"default-scheduler","serviceAccountName":"web","hostNetwork":true},
         "status":{"phase":"Running","podIP":"10.0.0.9","podIPs":[{"ip":"10.0.0.9"},{"ip":"fd00::9"}],"nominatedNodeName":"edge-8"}}
        """;

    [Theory]
    [InlineData("metadata.name", "web-1")]
    [InlineData("metadata.namespace", "shop")]
    [InlineData("spec.nodeName", "edge-7")]
    [InlineData("spec.restartPolicy", "Always")]
    [InlineData("spec.schedulerName", "default-scheduler")]
    [InlineData("spec.serviceAccountName", "web")]
    [InlineData("spec.hostNetwork", "true")]
    [InlineData("status.phase", "Running")]
    [InlineData("status.podIP", "10.0.0.9")]
    [InlineData("status.nominatedNodeName", "edge-8")]
    public void Pod_fields(string field, string value)
    {
        Assert.Equal(value, Support.FieldValues("", "Pod", Json(Pod))[field]);
        Assert.True(Selects("", "Pod", $"{field}={FieldSelector.EscapeValue(value)}", Pod));
        Assert.False(Selects("", "Pod", $"{field}!={FieldSelector.EscapeValue(value)}", Pod));
        Assert.False(Selects("", "Pod", $"{field}=other", Pod));
    }

    [Fact]
    public void Pod_defaults_for_missing_fields()
    {
        var values = Support.FieldValues("", "Pod", Json("""{"metadata":{"name":"p"}}"""));
        Assert.Equal("false", values["spec.hostNetwork"]);
        Assert.Equal("", values["spec.nodeName"]);
        Assert.Equal("", values["metadata.namespace"]);
        Assert.Equal("", values["status.podIP"]);
        Assert.True(Selects("", "Pod", "spec.nodeName=", """{"metadata":{"name":"p"}}"""));
        Assert.True(Selects("", "Pod", "spec.nodeName!=edge-7", """{"metadata":{"name":"p"}}"""));
    }

    [Fact]
    public void Pod_ip_falls_back_to_the_singular_field()
    {
        Assert.Equal("10.1.1.1", Support.FieldValues("", "Pod", Json("""{"status":{"podIP":"10.1.1.1"}}"""))["status.podIP"]);
    }

    [Fact]
    public void Pod_spec_host_is_the_legacy_name_of_spec_node_name()
    {
        var bound = Support.Bind("", "Pod", "spec.host=edge-7");
        Assert.Equal("spec.nodeName=edge-7", bound.ToString());
        Assert.True(bound.Matches(Json(Pod)));
    }

    [Fact]
    public void Pod_ips_is_accepted_but_always_empty_as_upstream()
    {
        Assert.True(Selects("", "Pod", "status.podIPs=", Pod));
        Assert.False(Selects("", "Pod", "status.podIPs=10.0.0.9", Pod));
    }

    [Theory]
    [InlineData("involvedObject.kind", "Pod")]
    [InlineData("involvedObject.namespace", "shop")]
    [InlineData("involvedObject.name", "web-1")]
    [InlineData("involvedObject.uid", "u-1")]
    [InlineData("involvedObject.apiVersion", "v1")]
    [InlineData("involvedObject.resourceVersion", "42")]
    [InlineData("involvedObject.fieldPath", "spec.containers{web}")]
    [InlineData("reason", "Pulled")]
    [InlineData("reportingComponent", "kubelet")]
    [InlineData("source", "kubelet-src")]
    [InlineData("type", "Normal")]
    [InlineData("metadata.name", "web-1.17")]
    [InlineData("metadata.namespace", "shop")]
    public void Event_fields(string field, string value)
    {
        const string evt = """
            {"metadata":{"name":"web-1.17","namespace":"shop"},
             "involvedObject":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u-1","apiVersion":"v1","resourceVersion":"42","fieldPath":"spec.containers{web}"},
             "reason":"Pulled","reportingComponent":"kubelet","source":{"component":"kubelet-src"},"type":"Normal"}
            """;
        Assert.True(Selects("", "Event", $"{field}={value}", evt));
        Assert.False(Selects("", "Event", $"{field}!={value}", evt));
    }

    [Fact]
    public void Event_source_falls_back_to_reporting_component()
    {
        Assert.True(Selects("", "Event", "source=kubelet", """{"reportingComponent":"kubelet"}"""));
    }

    [Theory]
    [InlineData("", "Secret", "type=kubernetes.io/tls", """{"metadata":{"name":"s"},"type":"kubernetes.io/tls"}""")]
    [InlineData("", "Node", "spec.unschedulable=true", """{"metadata":{"name":"n"},"spec":{"unschedulable":true}}""")]
    [InlineData("", "Node", "spec.unschedulable=false", """{"metadata":{"name":"n"}}""")]
    [InlineData("", "Namespace", "status.phase=Terminating", """{"metadata":{"name":"ns"},"status":{"phase":"Terminating"}}""")]
    [InlineData("", "Service", "spec.clusterIP=10.96.0.1", """{"spec":{"clusterIP":"10.96.0.1","type":"ClusterIP"}}""")]
    [InlineData("", "Service", "spec.type=ClusterIP", """{"spec":{"clusterIP":"10.96.0.1","type":"ClusterIP"}}""")]
    [InlineData("", "ReplicationController", "status.replicas=3", """{"status":{"replicas":3}}""")]
    [InlineData("apps", "ReplicaSet", "status.replicas=3", """{"status":{"replicas":3}}""")]
    [InlineData("apps", "ReplicaSet", "status.replicas=0", """{"status":{}}""")]
    [InlineData("batch", "Job", "status.successful=2", """{"status":{"succeeded":2}}""")]
    [InlineData("batch", "Job", "status.successful=0", """{}""")]
    [InlineData("certificates.k8s.io", "CertificateSigningRequest", "spec.signerName=kubernetes.io/kubelet-serving", """{"spec":{"signerName":"kubernetes.io/kubelet-serving"}}""")]
    [InlineData("apps", "Deployment", "metadata.name=web,metadata.namespace=shop", """{"metadata":{"name":"web","namespace":"shop"}}""")]
    public void Built_in_kind_fields(string group, string kind, string selector, string obj)
    {
        Assert.True(Selects(group, kind, selector, obj));
        var negated = selector.Split(',')[0].Replace("=", "!=", StringComparison.Ordinal);
        Assert.False(Selects(group, kind, negated, obj));
    }

    [Theory]
    [InlineData("", "Pod", "foo=bar", "field label not supported: foo")]
    [InlineData("", "Pod", "metadata.name=a,spec.nodename=b", "field label not supported: spec.nodename")]
    [InlineData("", "Node", "metadata.namespace=x", "field label not supported: metadata.namespace")]
    [InlineData("", "Namespace", "metadata.namespace=x", "field label not supported: metadata.namespace")]
    [InlineData("", "Secret", "data=x", "field label not supported: data")]
    [InlineData("batch", "Job", "status.succeeded=1", "field label \"status.succeeded\" not supported for batchv1.Job")]
    [InlineData("networking.k8s.io", "Ingress", "foo.bar=baz", "\"foo.bar\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("apps", "Deployment", "metadata.name =x", "\"metadata.name \" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    public void Unsupported_fields_are_refused_with_upstream_messages(string group, string kind, string selector, string message)
    {
        Assert.Equal(message, Assert.Throws<SelectorException>(() => Support.Bind(group, kind, selector)).Message);
    }

    [Fact]
    public void Unregistered_kinds_support_name_and_namespace()
    {
        var support = new FieldSelectorSupport();
        Assert.Equal(["metadata.name", "metadata.namespace"], support.SupportedFields("", "Pod"));
        Assert.Throws<SelectorException>(() => support.Bind("", "Pod", "spec.nodeName=x"));
    }

    [Fact]
    public void Custom_resources_support_metadata_and_selectable_fields()
    {
        var support = new FieldSelectorSupport();
        support.RegisterCustomResource("example.com", "Widget", namespaced: true, [".spec.color", ".spec.size", ".status.ready"]);
        Assert.Equal(["metadata.name", "metadata.namespace", "spec.color", "spec.size", "status.ready"], support.SupportedFields("example.com", "Widget"));

        const string widget = """{"metadata":{"name":"w","namespace":"ns"},"spec":{"color":"blue","size":3},"status":{"ready":true}}""";
        Assert.True(support.Bind("example.com", "Widget", "spec.color=blue,spec.size=3,status.ready=true,metadata.namespace=ns").Matches(Json(widget)));
        Assert.False(support.Bind("example.com", "Widget", "spec.color=red").Matches(Json(widget)));
        Assert.True(support.Bind("example.com", "Widget", "spec.color=").Matches(Json("""{"metadata":{"name":"w"}}""")));
        Assert.Equal("field label not supported: spec.shape", Assert.Throws<SelectorException>(() => support.Bind("example.com", "Widget", "spec.shape=x")).Message);

        support.RegisterCustomResource("example.com", "Gadget", namespaced: false);
        Assert.Equal("field label not supported: metadata.namespace", Assert.Throws<SelectorException>(() => support.Bind("example.com", "Gadget", "metadata.namespace=")).Message);

        Assert.True(support.Unregister("example.com", "Widget"));
        Assert.Throws<SelectorException>(() => support.Bind("example.com", "Widget", "spec.color=blue"));
    }

    [Theory]
    [InlineData("spec.color")]
    [InlineData(".spec..color")]
    [InlineData(".spec.items[0]")]
    [InlineData(".")]
    public void Custom_resource_paths_must_be_simple(string path)
    {
        Assert.Throws<ArgumentException>(() => new FieldSelectorSupport().RegisterCustomResource("example.com", "Widget", true, [path]));
    }

    [Fact]
    public void Registered_kinds_replace_their_fields()
    {
        var support = new FieldSelectorSupport();
        support.Register("example.com", "Thing", [new SelectableField("metadata.name", o => (string?)o["metadata"]?["name"] ?? ""), new SelectableField("spec.mode", o => (string?)o["spec"]?["mode"] ?? "")]);
        Assert.True(support.Bind("example.com", "Thing", "spec.mode=fast").Matches(Json("""{"spec":{"mode":"fast"}}""")));
        Assert.Equal("field label not supported: metadata.namespace", Assert.Throws<SelectorException>(() => support.Bind("example.com", "Thing", "metadata.namespace=x")).Message);
    }
}
