using System.Text.Json.Nodes;
using EdgeCloud.Kube.CustomResources;

namespace EdgeCloud.Kube.Tests.CustomResources;

public sealed class CustomResourceDefinitionStatusTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Condition(JsonObject status, string type) =>
        status["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == type)!.AsObject();

    [Fact]
    public void An_accepted_CRD_is_established_with_its_names_and_storage_version()
    {
        var status = CustomResourceDefinitionStatus.Accept(CronTabDefinition.Parse(), Now);

        Assert.Equal(["NamesAccepted", "Established"], status["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()));
        var names = Condition(status, "NamesAccepted");
        Assert.Equal("True", names["status"]!.GetValue<string>());
        Assert.Equal("NoConflicts", names["reason"]!.GetValue<string>());
        Assert.Equal("no conflicts found", names["message"]!.GetValue<string>());
        Assert.Equal("2024-05-01T12:00:00Z", names["lastTransitionTime"]!.GetValue<string>());
        var established = Condition(status, "Established");
        Assert.Equal("True", established["status"]!.GetValue<string>());
        Assert.Equal("InitialNamesAccepted", established["reason"]!.GetValue<string>());

        Assert.Equal(
            """{"plural":"crontabs","singular":"crontab","shortNames":["ct"],"kind":"CronTab","listKind":"CronTabList","categories":["all"]}""",
            status["acceptedNames"]!.ToJsonString());
        Assert.Equal("""["v1"]""", status["storedVersions"]!.ToJsonString());
    }

    [Fact]
    public void A_conflicting_name_is_not_accepted_and_the_CRD_not_established()
    {
        var status = CustomResourceDefinitionStatus.Accept(CronTabDefinition.Parse(), Now, new HashSet<string> { "ct" }, new HashSet<string>());

        var names = Condition(status, "NamesAccepted");
        Assert.Equal("False", names["status"]!.GetValue<string>());
        Assert.Equal("ShortNamesConflict", names["reason"]!.GetValue<string>());
        Assert.Equal("\"ct\" is already in use", names["message"]!.GetValue<string>());
        var established = Condition(status, "Established");
        Assert.Equal("False", established["status"]!.GetValue<string>());
        Assert.Equal("NotAccepted", established["reason"]!.GetValue<string>());
        // The names that do not conflict are accepted; the short names are not.
        Assert.Equal("crontabs", status["acceptedNames"]!["plural"]!.GetValue<string>());
        Assert.Null(status["acceptedNames"]!["shortNames"]);
    }

    [Theory]
    [InlineData("crontabs", "", "PluralConflict")]
    [InlineData("crontab", "", "SingularConflict")]
    [InlineData("", "CronTab", "KindConflict")]
    [InlineData("", "CronTabList", "ListKindConflict")]
    public void Each_name_conflict_has_its_reason(string resource, string kind, string reason)
    {
        var status = CustomResourceDefinitionStatus.Accept(CronTabDefinition.Parse(), Now,
            new HashSet<string> { resource }, new HashSet<string> { kind });

        Assert.Equal(reason, Condition(status, "NamesAccepted")["reason"]!.GetValue<string>());
    }

    [Fact]
    public void Names_already_accepted_for_this_CRD_never_conflict_and_times_are_kept()
    {
        var crd = CronTabDefinition.Parse();
        crd["status"] = CustomResourceDefinitionStatus.Accept(crd, Now);

        var later = CustomResourceDefinitionStatus.Accept(crd, Now.AddHours(1), new HashSet<string> { "crontabs", "ct" }, new HashSet<string> { "CronTab" });

        Assert.Equal("True", Condition(later, "NamesAccepted")["status"]!.GetValue<string>());
        Assert.Equal("2024-05-01T12:00:00Z", Condition(later, "Established")["lastTransitionTime"]!.GetValue<string>());
    }

    [Fact]
    public void An_established_CRD_stays_established_when_a_new_name_conflicts()
    {
        var crd = CronTabDefinition.Parse();
        crd["status"] = CustomResourceDefinitionStatus.Accept(crd, Now);
        crd.Spec()["names"]!["shortNames"] = new JsonArray("ct", "cron");

        var later = CustomResourceDefinitionStatus.Accept(crd, Now.AddHours(1), new HashSet<string> { "cron" }, new HashSet<string>());

        var names = Condition(later, "NamesAccepted");
        Assert.Equal("False", names["status"]!.GetValue<string>());
        Assert.Equal("2024-05-01T13:00:00Z", names["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal("True", Condition(later, "Established")["status"]!.GetValue<string>());
        Assert.Equal("""["ct"]""", later["acceptedNames"]!["shortNames"]!.ToJsonString());
    }

    [Fact]
    public void Stored_versions_only_grow()
    {
        var crd = CronTabDefinition.Parse();
        crd["status"] = CustomResourceDefinitionStatus.Accept(crd, Now);
        crd.Version(0)["storage"] = false;
        crd.Version(1)["storage"] = true;

        var later = CustomResourceDefinitionStatus.Accept(crd, Now);

        Assert.Equal("""["v1","v1beta1"]""", later["storedVersions"]!.ToJsonString());
    }

    [Fact]
    public void Names_in_use_come_from_other_CRDs_of_the_same_group()
    {
        var crd = CronTabDefinition.Parse();
        var sameGroup = JsonNode.Parse("""
        {"metadata":{"name":"jobs.stable.example.com"},"spec":{"group":"stable.example.com"},
         "status":{"acceptedNames":{"plural":"jobs","singular":"job","shortNames":["ct"],"kind":"Job","listKind":"JobList"}}}
        """)!.AsObject();
        var otherGroup = JsonNode.Parse("""
        {"metadata":{"name":"tabs.other.example.com"},"spec":{"group":"other.example.com"},
         "status":{"acceptedNames":{"plural":"tabs","kind":"Tab","listKind":"TabList"}}}
        """)!.AsObject();
        var itself = CronTabDefinition.Parse();
        itself["status"] = CustomResourceDefinitionStatus.Accept(itself, Now);

        var (resources, kinds) = CustomResourceDefinitionStatus.NamesInUse(crd, [sameGroup, otherGroup, itself]);

        Assert.Equal(["ct", "job", "jobs"], resources.Order(StringComparer.Ordinal));
        Assert.Equal(["Job", "JobList"], kinds.Order(StringComparer.Ordinal));
        var status = CustomResourceDefinitionStatus.Accept(crd, Now, resources, kinds);
        Assert.Equal("ShortNamesConflict", Condition(status, "NamesAccepted")["reason"]!.GetValue<string>());
    }
}
