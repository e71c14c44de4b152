using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Kube.Tests.Selectors;

public sealed class LabelSelectorParseTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["rank"] = "5" };

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \t\r\n")]
    public void Empty_selector_selects_everything(string text)
    {
        var selector = LabelSelector.Parse(text);
        Assert.True(selector.IsEverything);
        Assert.Empty(selector.Requirements);
        Assert.True(selector.Matches(new Dictionary<string, string>()));
        Assert.Equal("", selector.ToString());
    }

    [Theory]
    [InlineData("app=web", SelectorOperator.Equals, "web")]
    [InlineData("app==web", SelectorOperator.DoubleEquals, "web")]
    [InlineData("app!=web", SelectorOperator.NotEquals, "web")]
    [InlineData("app>4", SelectorOperator.GreaterThan, "4")]
    [InlineData("app<4", SelectorOperator.LessThan, "4")]
    [InlineData("app=", SelectorOperator.Equals, "")]
    [InlineData("  app  =  web  ", SelectorOperator.Equals, "web")]
    public void Parses_binary_operators(string text, SelectorOperator op, string value)
    {
        var requirement = Assert.Single(LabelSelector.Parse(text).Requirements);
        Assert.Equal("app", requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Equal([value], requirement.Values);
    }

    [Theory]
    [InlineData("env in (prod,qa)", SelectorOperator.In, new[] { "prod", "qa" })]
    [InlineData("env notin (qa, prod)", SelectorOperator.NotIn, new[] { "prod", "qa" })]
    [InlineData("env in(prod)", SelectorOperator.In, new[] { "prod" })]
    [InlineData("env in ()", SelectorOperator.In, new[] { "" })]
    [InlineData("env in (,a)", SelectorOperator.In, new[] { "", "a" })]
    [InlineData("env in (a,)", SelectorOperator.In, new[] { "", "a" })]
    [InlineData("env in (a,,b)", SelectorOperator.In, new[] { "", "a", "b" })]
    [InlineData("env in (b,a,b)", SelectorOperator.In, new[] { "a", "b" })]
    [InlineData("env in (in,notin)", SelectorOperator.In, new[] { "in", "notin" })]
    public void Parses_set_operators(string text, SelectorOperator op, string[] values)
    {
        var requirement = Assert.Single(LabelSelector.Parse(text).Requirements);
        Assert.Equal("env", requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Equal(values, requirement.Values);
    }

    [Theory]
    [InlineData("env", SelectorOperator.Exists)]
    [InlineData("!env", SelectorOperator.DoesNotExist)]
    [InlineData(" ! env ", SelectorOperator.DoesNotExist)]
    public void Parses_unary_operators(string text, SelectorOperator op)
    {
        var requirement = Assert.Single(LabelSelector.Parse(text).Requirements);
        Assert.Equal("env", requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Empty(requirement.Values);
    }

    [Fact]
    public void Keywords_are_ordinary_keys_and_values()
    {
        var requirement = Assert.Single(LabelSelector.Parse("in=notin").Requirements);
        Assert.Equal("in", requirement.Key);
        Assert.Equal(["notin"], requirement.Values);
    }

    [Fact]
    public void Requirements_are_sorted_by_key_and_printed_canonically()
    {
        var selector = LabelSelector.Parse("z in (b, a), !y,x ,w!=1,v==2,u>3,t<4,s=");
        Assert.Equal(["s", "t", "u", "v", "w", "x", "y", "z"], selector.Requirements.Select(r => r.Key));
        Assert.Equal("s=,t<4,u>3,v==2,w!=1,x,!y,z in (a,b)", selector.ToString());
        Assert.Equal(selector.Requirements, LabelSelector.Parse(selector.ToString()).Requirements);
    }

    [Fact]
    public void Prefixed_keys_are_accepted()
    {
        var selector = LabelSelector.Parse("app.kubernetes.io/name=web,example.com/My_Name.x-1=v");
        Assert.Equal(["app.kubernetes.io/name", "example.com/My_Name.x-1"], selector.Requirements.Select(r => r.Key));
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("app!=db", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (db,web)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("app notin (db)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("rank>4", true)]
    [InlineData("rank>5", false)]
    [InlineData("rank<6", true)]
    [InlineData("rank<5", false)]
    [InlineData("app>1", false)]
    [InlineData("app=web,tier=front", true)]
    [InlineData("app=web,tier=back", false)]
    public void Matches_labels(string text, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(text).Matches(Web));
    }

    [Theory]
    [InlineData("env!=prod", true)]
    [InlineData("env notin (prod)", true)]
    [InlineData("!env", true)]
    [InlineData("env=prod", false)]
    [InlineData("env in (prod)", false)]
    [InlineData("env", false)]
    [InlineData("env>1", false)]
    [InlineData("env<1", false)]
    public void Missing_key_matches_only_negative_requirements(string text, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(text).Matches(Web));
        Assert.Equal(expected, LabelSelector.Parse(text).Matches((System.Text.Json.Nodes.JsonObject?)null));
    }

    [Fact]
    public void Empty_value_is_distinct_from_missing_key()
    {
        var labels = new Dictionary<string, string> { ["env"] = "" };
        Assert.True(LabelSelector.Parse("env=").Matches(labels));
        Assert.True(LabelSelector.Parse("env").Matches(labels));
        Assert.False(LabelSelector.Parse("env=").Matches(Web));
        Assert.True(LabelSelector.Parse("env in ()").Matches(labels));
    }

    [Fact]
    public void Matches_json_labels_and_whole_objects()
    {
        var pod = System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"name":"p","labels":{"app":"web","n":"7"}}}""")!.AsObject();
        var labels = pod["metadata"]!["labels"]!.AsObject();
        Assert.True(LabelSelector.Parse("app=web,n>6").Matches(labels));
        Assert.False(LabelSelector.Parse("app=web,n>7").Matches(labels));
        Assert.True(LabelSelector.Parse("app in (web),!tier").MatchesObject(pod));
        Assert.False(LabelSelector.Parse("tier").MatchesObject(pod));
    }

    [Fact]
    public void Exact_values_are_reported_for_indexes()
    {
        var selector = LabelSelector.Parse("a=1,b in (2),c in (3,4),d!=5");
        Assert.True(selector.TryGetExactValue("a", out var a));
        Assert.Equal("1", a);
        Assert.True(selector.TryGetExactValue("b", out var b));
        Assert.Equal("2", b);
        Assert.False(selector.TryGetExactValue("c", out _));
        Assert.False(selector.TryGetExactValue("d", out _));
    }

    private const string NamePartError =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    [Theory]
    [InlineData("app:monolith", "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": " + NamePartError)]
    [InlineData("-a=b", "unable to parse requirement: <nil>: Invalid value: \"-a\": " + NamePartError)]
    [InlineData("(", "found '(', expected: !, identifier, or 'end of string'")]
    [InlineData("=a", "found '=', expected: !, identifier, or 'end of string'")]
    [InlineData("a=b,", "found '', expected: identifier after ','")]
    [InlineData("a=b,,c=d", "found ',', expected: identifier after ','")]
    [InlineData("a=b c=d", "found 'c', expected: ',' or 'end of string'")]
    [InlineData("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("a in b", "unable to parse requirement: found 'b' expected: '('")]
    [InlineData("a in (b", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier")]
    [InlineData("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'")]
    [InlineData("a=(", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("a===b", "unable to parse requirement: found '=', expected: identifier")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    [InlineData("!a=b", "found '=', expected: ',' or 'end of string'")]
    [InlineData("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer")]
    public void Refuses_malformed_selectors_with_upstream_messages(string text, string message)
    {
        var error = Assert.Throws<SelectorException>(() => LabelSelector.Parse(text));
        Assert.Equal(message, error.Message);
        Assert.IsAssignableFrom<FormatException>(error);
        Assert.False(LabelSelector.TryParse(text, out _, out var reported));
        Assert.Equal(message, reported);
    }

    [Theory]
    [InlineData("a/b/c=d", "a qualified name must consist of")]
    [InlineData("/a=b", "prefix part must be non-empty")]
    [InlineData("Example.com/a=b", "prefix part a lowercase RFC 1123 subdomain must consist of")]
    [InlineData("example.com/=b", "name part must be non-empty")]
    public void Refuses_invalid_keys(string text, string fragment)
    {
        var error = Assert.Throws<SelectorException>(() => LabelSelector.Parse(text));
        Assert.StartsWith("unable to parse requirement: <nil>: Invalid value: ", error.Message);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Enforces_length_limits()
    {
        var name63 = new string('a', 63);
        Assert.Single(LabelSelector.Parse($"{name63}={name63}").Requirements);
        Assert.Contains("name part must be no more than 63 characters", Assert.Throws<SelectorException>(() => LabelSelector.Parse(name63 + "b=c")).Message);
        var valueError = Assert.Throws<SelectorException>(() => LabelSelector.Parse($"a={name63}b")).Message;
        Assert.StartsWith($"unable to parse requirement: values[0][a]: Invalid value: \"{name63}b\": must be no more than 63 characters", valueError);
        var prefix254 = new string('p', 254);
        Assert.Contains("prefix part must be no more than 253 characters", Assert.Throws<SelectorException>(() => LabelSelector.Parse(prefix254 + "/a")).Message);
    }

    [Theory]
    [InlineData("a=-b")]
    [InlineData("a=b_")]
    [InlineData("a in (ok,bad_)")]
    public void Refuses_invalid_values(string text)
    {
        var error = Assert.Throws<SelectorException>(() => LabelSelector.Parse(text));
        Assert.Contains("a valid label must be an empty string or consist of alphanumeric characters", error.Message);
    }

    [Fact]
    public void Requirement_create_checks_value_counts()
    {
        Assert.Equal(
            "values: Invalid value: []string{\"a\", \"b\"}: exact-match compatibility requires one single value",
            Assert.Throws<SelectorException>(() => LabelRequirement.Create("k", SelectorOperator.Equals, ["a", "b"])).Message);
        Assert.Equal(
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
            Assert.Throws<SelectorException>(() => LabelRequirement.Create("k", SelectorOperator.NotIn, [])).Message);
        Assert.Equal(
            "values: Invalid value: []string{\"a\"}: values set must be empty for exists and does not exist",
            Assert.Throws<SelectorException>(() => LabelRequirement.Create("k", SelectorOperator.Exists, ["a"])).Message);
        Assert.Equal(
            "values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required",
            Assert.Throws<SelectorException>(() => LabelRequirement.Create("k", SelectorOperator.LessThan, ["1", "2"])).Message);
        Assert.Equal("k<10", LabelRequirement.Create("k", SelectorOperator.LessThan, ["10"]).ToString());
    }
}
