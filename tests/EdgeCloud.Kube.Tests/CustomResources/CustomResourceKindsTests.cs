using System.Text.Json.Nodes;
using EdgeCloud.Kube.CustomResources;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Kube.Tests.CustomResources;

public sealed class CustomResourceKindsTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static KindDefinition CronTab => CustomResourceKinds.FromDefinition(CronTabDefinition.Parse())[0];

    [Fact]
    public void The_example_CRD_is_valid()
    {
        Assert.Empty(CustomResourceDefinitionValidation.Validate(CronTabDefinition.Parse()));
    }

    [Fact]
    public void Each_served_version_becomes_a_kind_with_the_CRD_names_and_scope()
    {
        var kinds = CustomResourceKinds.FromDefinition(CronTabDefinition.Parse());

        Assert.Equal(["v1", "v1beta1"], kinds.Select(k => k.Version));
        var kind = kinds[0];
        Assert.Equal("stable.example.com", kind.Group);
        Assert.Equal("CronTab", kind.Kind);
        Assert.Equal("CronTabList", kind.ListKind);
        Assert.Equal("crontabs", kind.Plural);
        Assert.Equal("crontab", kind.Singular);
        Assert.True(kind.Namespaced);
        Assert.Equal(["ct"], kind.ShortNames);
        Assert.Equal(["all"], kind.Categories);
        Assert.Equal(["status", "scale"], kind.Subresources);
        Assert.Equal(ObjectNameRule.PathSegment, kind.NameRule);
        Assert.Empty(kinds[1].Subresources);
    }

    [Fact]
    public void Cluster_scope_and_unserved_versions()
    {
        var crd = CronTabDefinition.With(c =>
        {
            c.Spec()["scope"] = "Cluster";
            c.Version(1)["served"] = false;
        });

        var kinds = CustomResourceKinds.FromDefinition(crd);

        Assert.False(Assert.Single(kinds).Namespaced);
        var versions = CustomResourceKinds.Versions(crd);
        Assert.Equal(2, versions.Count);
        Assert.False(versions[1].Served);
    }

    [Fact]
    public void Versions_report_storage_deprecation_and_scale_paths()
    {
        var crd = CronTabDefinition.Parse();
        var versions = CustomResourceKinds.Versions(crd);

        Assert.Equal("v1", CustomResourceKinds.StorageVersion(crd));
        Assert.True(versions[0].Storage);
        Assert.False(versions[1].Storage);
        Assert.Null(versions[0].DeprecationWarning);
        Assert.Equal("stable.example.com/v1beta1 CronTab is deprecated", versions[1].DeprecationWarning);
        var scale = Assert.IsType<CustomResourceScale>(versions[0].Scale);
        Assert.Equal(["spec", "replicas"], scale.SpecReplicasPath.Fields);
        Assert.Equal(".status.replicas", scale.StatusReplicasPath.Text);
        Assert.Equal(".status.selector", scale.LabelSelectorPath?.Text);
        Assert.Null(versions[1].Scale);
    }

    [Fact]
    public void A_custom_deprecation_warning_is_kept()
    {
        var crd = CronTabDefinition.With(c => c.Version(1)["deprecationWarning"] = "use v1");
        Assert.Equal("use v1", CustomResourceKinds.Versions(crd)[1].DeprecationWarning);
    }

    [Fact]
    public void A_good_object_passes_and_gets_its_defaults()
    {
        var obj = JsonNode.Parse("""
        {"apiVersion":"stable.example.com/v1","kind":"CronTab",
         "metadata":{"name":"nightly","namespace":"default","labels":{"app":"x"}},
         "spec":{"cronSpec":"*/5 * * * *","image":"busybox","port":"http",
                 "env":[{"name":"A","value":"1"},{"name":"B"}],"labels":{"tier":"batch"},
                 "template":{"anything":{"goes":[1,2]}},"note":null},
         "status":{"replicas":2,"lastScheduleTime":"2024-05-01T11:00:00Z"}}
        """)!.AsObject();

        SchemaDefaults.Apply(obj, CronTab.Schema);
        var check = SchemaValidator.Check(obj, CronTab.Schema);

        Assert.Empty(check.Errors);
        Assert.Empty(check.UnknownFields);
        Assert.Equal(1, obj["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Allow", obj["spec"]!["concurrencyPolicy"]!.GetValue<string>());
        Assert.NotNull(obj["spec"]!["template"]!["anything"]);
        // nullable: true keeps an explicit null.
        Assert.True(obj["spec"]!.AsObject().ContainsKey("note"));
    }

    [Theory]
    [InlineData("""{"cronSpec":"* * * * *","image":"x","replicas":"two"}""", "spec.replicas", "FieldValueInvalid")]
    [InlineData("""{"cronSpec":"* * * * *","image":"x","replicas":0}""", "spec.replicas", "FieldValueInvalid")]
    [InlineData("""{"cronSpec":"* * * * *","image":"x","replicas":11}""", "spec.replicas", "FieldValueInvalid")]
    [InlineData("""{"cronSpec":"* * * * *","image":"x","concurrencyPolicy":"Sometimes"}""", "spec.concurrencyPolicy", "FieldValueNotSupported")]
    [InlineData("""{"cronSpec":"* * * * *"}""", "spec.image", "FieldValueRequired")]
    [InlineData("""{"cronSpec":"* * * * *","image":""}""", "spec.image", "FieldValueInvalid")]
    [InlineData("""{"cronSpec":"every minute","image":"x"}""", "spec.cronSpec", "FieldValueInvalid")]
    [InlineData("""{"cronSpec":"* * * * *","image":"x","port":true}""", "spec.port", "FieldValueInvalid")]
    [InlineData("""{"cronSpec":"* * * * *","image":"x","env":[{"name":"A"},{"name":"A"}]}""", "spec.env[1]", "FieldValueDuplicate")]
    [InlineData("""{"cronSpec":"* * * * *","image":"x","labels":{"tier":3}}""", "spec.labels.tier", "FieldValueInvalid")]
    public void A_bad_object_gets_one_cause_at_the_field(string spec, string field, string reason)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "stable.example.com/v1",
            ["kind"] = "CronTab",
            ["metadata"] = new JsonObject { ["name"] = "a" },
            ["spec"] = JsonNode.Parse(spec),
        };

        var check = SchemaValidator.Check(obj, CronTab.Schema);

        var cause = Assert.Single(check.Errors);
        Assert.Equal(field, cause.Field);
        Assert.Equal(reason, cause.Reason);
    }

    [Fact]
    public void Unknown_fields_are_reported_but_metadata_and_preserved_subtrees_are_known()
    {
        var obj = JsonNode.Parse("""
        {"apiVersion":"stable.example.com/v1","kind":"CronTab","colour":"red",
         "metadata":{"name":"a","finalizers":["x"],"ownerReferences":[]},
         "spec":{"cronSpec":"* * * * *","image":"x","extra":1,"env":[{"name":"A","bogus":true}],"template":{"free":1}}}
        """)!.AsObject();

        var check = SchemaValidator.Check(obj, CronTab.Schema);

        Assert.Equal(["colour", "spec.extra", "spec.env[0].bogus"], check.UnknownFields);
        Assert.Empty(check.Errors);
    }

    [Fact]
    public void A_root_preserving_unknown_fields_keeps_them()
    {
        var kind = CustomResourceKinds.FromDefinition(CronTabDefinition.Parse())[1];
        var obj = JsonNode.Parse("""{"apiVersion":"stable.example.com/v1beta1","kind":"CronTab","metadata":{"name":"a"},"anything":{"x":1}}""")!.AsObject();

        var check = SchemaValidator.Check(obj, kind.Schema);

        Assert.Empty(check.UnknownFields);
        Assert.NotNull(obj["anything"]);
        Assert.True(kind.Schema.Properties.ContainsKey("metadata"));
    }

    [Fact]
    public void Metadata_is_checked_as_object_metadata()
    {
        var obj = JsonNode.Parse("""{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"a","labels":{"k":1},"nonsense":1}}""")!.AsObject();

        var check = SchemaValidator.Check(obj, CronTab.Schema);

        Assert.Equal(["metadata.nonsense"], check.UnknownFields);
        Assert.Equal("metadata.labels.k", Assert.Single(check.Errors).Field);
    }
}
