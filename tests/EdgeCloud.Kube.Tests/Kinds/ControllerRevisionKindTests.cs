using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Kube.Tests.Kinds;

public sealed class ControllerRevisionKindTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-01-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private const string Revision = """
        {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"logs-5d8f9c7b6","namespace":"kube-system","creationTimestamp":"2025-01-10T11:57:00Z",
         "labels":{"app":"logs","controller-revision-hash":"5d8f9c7b6"},
         "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"logs","uid":"u1","controller":true,"blockOwnerDeletion":true}]},
         "data":{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"logs"}},"spec":{"containers":[{"name":"agent","image":"fluent-bit:3","anything":{"x":1}}]}}}},
         "revision":3}
        """;

    [Fact]
    public void Is_served_as_kube_apiserver_serves_it()
    {
        var kind = ControllerRevisionKind.Definition;
        Assert.Contains(kind, BuiltInKinds.All);
        Assert.Equal(("apps/v1", "controllerrevisions", "controllerrevision", true), (kind.ApiVersion, kind.Plural, kind.Singular, kind.Namespaced));
        Assert.Empty(kind.ShortNames);
        Assert.Empty(kind.Categories);
    }

    [Fact]
    public void Table_shows_controller_revision_and_age()
    {
        var columns = ControllerRevisionKind.Definition.PrinterColumns;
        Assert.Equal(["Controller", "Revision", "Age"], columns.Select(c => c.Name));
        var obj = JsonNode.Parse(Revision)!.AsObject();
        Assert.Equal(["daemonset.apps/logs", "3", "3m"], columns.Select(c => c.Cell(obj, Now)!.ToString()));

        obj["metadata"]!.AsObject().Remove("ownerReferences");
        Assert.Equal("<none>", columns[0].Cell(obj, Now)!.ToString());
    }

    [Fact]
    public void Data_keeps_any_object_and_revision_is_required()
    {
        var obj = JsonNode.Parse(Revision)!.AsObject();
        ObjectAdmission.Prepare(ControllerRevisionKind.Definition, obj, FieldValidation.Strict);
        Assert.Equal(1, obj["data"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["anything"]!["x"]!.GetValue<int>());
        Assert.Equal("replace", obj["data"]!["spec"]!["template"]!["$patch"]!.GetValue<string>());

        var missing = JsonNode.Parse(Revision)!.AsObject();
        missing.Remove("revision");
        var refused = Assert.Throws<KubeApiException>(() => ObjectAdmission.Prepare(ControllerRevisionKind.Definition, missing, FieldValidation.Strict));
        Assert.Equal(422, refused.Code);
    }
}
