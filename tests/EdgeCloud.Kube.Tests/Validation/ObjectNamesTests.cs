using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Validation;

public sealed class ObjectNamesTests
{
    [Theory]
    [InlineData(ObjectNameRule.DnsSubdomain, "web.example-1", true)]
    [InlineData(ObjectNameRule.DnsSubdomain, "Web", false)]
    [InlineData(ObjectNameRule.DnsSubdomain, "-web", false)]
    [InlineData(ObjectNameRule.DnsSubdomain, "web.", false)]
    [InlineData(ObjectNameRule.DnsLabel, "team-a", true)]
    [InlineData(ObjectNameRule.DnsLabel, "team.a", false)]
    [InlineData(ObjectNameRule.Dns1035Label, "web-1", true)]
    [InlineData(ObjectNameRule.Dns1035Label, "1web", false)]
    [InlineData(ObjectNameRule.PathSegment, "Any Thing:1", true)]
    [InlineData(ObjectNameRule.PathSegment, "a/b", false)]
    [InlineData(ObjectNameRule.PathSegment, "..", false)]
    public void Names_follow_the_kinds_rule(ObjectNameRule rule, string name, bool valid)
    {
        Assert.Equal(valid, ObjectNames.Check(rule, name, "metadata.name", prefix: false).Count == 0);
    }

    [Fact]
    public void Length_limits_are_253_for_subdomains_and_63_for_labels()
    {
        Assert.Empty(ObjectNames.Check(ObjectNameRule.DnsSubdomain, new string('a', 253), "metadata.name", false));
        Assert.Contains(ObjectNames.Check(ObjectNameRule.DnsSubdomain, new string('a', 254), "metadata.name", false), static c => c.Message.Contains("no more than 253", StringComparison.Ordinal));
        Assert.Contains(ObjectNames.Check(ObjectNameRule.DnsLabel, new string('a', 64), "metadata.name", false), static c => c.Message.Contains("no more than 63", StringComparison.Ordinal));
    }

    [Fact]
    public void A_generateName_prefix_may_end_with_a_dash()
    {
        Assert.Empty(ObjectNames.Check(ObjectNameRule.DnsSubdomain, "web-", "metadata.generateName", prefix: true));
        ObjectNames.Validate(ConfigMapKind.Definition, JsonNode.Parse("""{"metadata":{"generateName":"web-"}}""")!.AsObject());
    }

    [Fact]
    public void An_object_without_name_or_generateName_is_invalid()
    {
        var error = Assert.Throws<KubeApiException>(() => ObjectNames.Validate(ConfigMapKind.Definition, JsonNode.Parse("""{"metadata":{}}""")!.AsObject()));
        Assert.Equal(422, error.Code);
        Assert.Equal("metadata.name", Assert.Single(error.Details!.Causes).Field);
    }
}
