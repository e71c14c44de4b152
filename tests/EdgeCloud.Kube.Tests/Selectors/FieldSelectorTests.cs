using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Kube.Tests.Selectors;

public sealed class FieldSelectorTests
{
    [Theory]
    [InlineData("")]
    [InlineData(",")]
    public void Empty_selector_selects_everything(string text)
    {
        var selector = FieldSelector.Parse(text);
        Assert.True(selector.IsEverything);
        Assert.True(selector.Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("a=b", "a", SelectorOperator.Equals, "b")]
    [InlineData("a==b", "a", SelectorOperator.Equals, "b")]
    [InlineData("a!=b", "a", SelectorOperator.NotEquals, "b")]
    [InlineData("a=", "a", SelectorOperator.Equals, "")]
    [InlineData("a==", "a", SelectorOperator.Equals, "")]
    [InlineData("a =b", "a ", SelectorOperator.Equals, "b")]
    [InlineData("a=b\\=c", "a", SelectorOperator.Equals, "b=c")]
    [InlineData("a=b\\,c", "a", SelectorOperator.Equals, "b,c")]
    [InlineData("a=b\\\\c", "a", SelectorOperator.Equals, "b\\c")]
    public void Parses_terms(string text, string field, SelectorOperator op, string value)
    {
        var requirement = Assert.Single(FieldSelector.Parse(text).Requirements);
        Assert.Equal(new FieldRequirement(field, op, value), requirement);
    }

    [Fact]
    public void Terms_are_and_ed_sorted_and_printed_escaped()
    {
        var selector = FieldSelector.Parse("status.phase!=Running,spec.restartPolicy==Always,metadata.name=a\\,b");
        Assert.Equal("metadata.name=a\\,b,spec.restartPolicy=Always,status.phase!=Running", selector.ToString());
        Assert.Equal(selector.Requirements, FieldSelector.Parse(selector.ToString()).Requirements);

        var fields = new Dictionary<string, string> { ["metadata.name"] = "a,b", ["spec.restartPolicy"] = "Always", ["status.phase"] = "Pending" };
        Assert.True(selector.Matches(fields));
        fields["status.phase"] = "Running";
        Assert.False(selector.Matches(fields));
    }

    [Fact]
    public void Missing_field_compares_as_empty()
    {
        var none = new Dictionary<string, string>();
        Assert.True(FieldSelector.Parse("a!=x").Matches(none));
        Assert.True(FieldSelector.Parse("a=").Matches(none));
        Assert.False(FieldSelector.Parse("a=x").Matches(none));
        Assert.False(FieldSelector.Parse("a!=").Matches(none));
    }

    [Theory]
    [InlineData("a", "invalid selector: 'a'; can't understand 'a'")]
    [InlineData("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    [InlineData("a=b\\", "invalid field selector: invalid escape sequence: \\")]
    [InlineData("a=b\\x", "invalid field selector: invalid escape sequence: \\x")]
    public void Refuses_malformed_selectors_with_upstream_messages(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<SelectorException>(() => FieldSelector.Parse(text)).Message);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b=c\\d", "a\\,b\\=c\\\\d")]
    [InlineData("", "")]
    public void Escape_and_unescape_round_trip(string raw, string escaped)
    {
        Assert.Equal(escaped, FieldSelector.EscapeValue(raw));
        Assert.Equal(raw, FieldSelector.UnescapeValue(escaped));
    }

    [Fact]
    public void Unescaped_comma_in_value_is_refused()
    {
        Assert.Equal("invalid field selector: unescaped character in value: 44", Assert.Throws<SelectorException>(() => FieldSelector.UnescapeValue("a,b")).Message);
    }

    [Fact]
    public void Exact_values_are_reported_for_indexes()
    {
        var selector = FieldSelector.Parse("spec.nodeName=n1,status.phase!=Failed");
        Assert.True(selector.TryGetExactValue("spec.nodeName", out var node));
        Assert.Equal("n1", node);
        Assert.False(selector.TryGetExactValue("status.phase", out _));
    }
}
