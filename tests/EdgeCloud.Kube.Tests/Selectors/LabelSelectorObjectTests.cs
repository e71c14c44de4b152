using System.Text.Json.Nodes;
using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Kube.Tests.Selectors;

public sealed class LabelSelectorObjectTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void Null_selector_matches_nothing()
    {
        var selector = LabelSelector.FromObject(null);
        Assert.Same(LabelSelector.Nothing, selector);
        Assert.True(selector.IsNothing);
        Assert.False(selector.IsEverything);
        Assert.False(selector.Matches(new Dictionary<string, string>()));
        Assert.False(selector.Matches(Json("""{"app":"web"}""")));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"matchLabels":{},"matchExpressions":[]}""")]
    public void Empty_selector_matches_everything(string text)
    {
        var selector = LabelSelector.FromObject(Json(text));
        Assert.True(selector.IsEverything);
        Assert.False(selector.IsNothing);
        Assert.True(selector.Matches(new Dictionary<string, string>()));
    }

    [Fact]
    public void Converts_match_labels_and_expressions()
    {
        var selector = LabelSelector.FromObject(Json("""
            {"matchLabels":{"app":"web"},
             "matchExpressions":[
               {"key":"env","operator":"In","values":["qa","prod"]},
               {"key":"track","operator":"NotIn","values":["canary"]},
               {"key":"tier","operator":"Exists"},
               {"key":"legacy","operator":"DoesNotExist","values":[]}]}
            """));

        Assert.Equal("app=web,env in (prod,qa),!legacy,tier,track notin (canary)", selector.ToString());
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["env"] = "qa", ["tier"] = "1" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["env"] = "qa", ["tier"] = "1", ["legacy"] = "x" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["env"] = "qa", ["tier"] = "1", ["track"] = "canary" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["env"] = "dev", ["tier"] = "1" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["env"] = "qa", ["tier"] = "1" }));
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}""", "\"Gt\" is not a valid label selector operator")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"in","values":["1"]}]}""", "\"in\" is not a valid label selector operator")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In"}]}""", "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"NotIn","values":[]}]}""", "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""", "values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"DoesNotExist","values":["x"]}]}""", "values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist")]
    [InlineData("""{"matchLabels":{"a":"-x"}}""", "values[0][a]: Invalid value: \"-x\": a valid label must be an empty string")]
    [InlineData("""{"matchLabels":{"a b":"x"}}""", "key: Invalid value: \"a b\": name part must consist of")]
    [InlineData("""{"matchLabels":{"a":1}}""", "matchLabels.a: must be a string")]
    [InlineData("""{"matchExpressions":{}}""", "matchExpressions: must be a list")]
    [InlineData("""{"matchExpressions":[{"operator":"Exists"}]}""", "matchExpressions[0].key: must be a string")]
    public void Refuses_invalid_selectors(string text, string message)
    {
        var error = Assert.Throws<SelectorException>(() => LabelSelector.FromObject(Json(text)));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Converts_plain_maps_as_service_selectors()
    {
        var selector = LabelSelector.FromSet(Json("""{"app":"web","tier":"front"}"""));
        Assert.Equal("app=web,tier=front", selector.ToString());
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front", ["x"] = "y" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web" }));
        Assert.True(LabelSelector.FromSet((JsonObject?)null).IsEverything);
        Assert.True(LabelSelector.FromSet(new Dictionary<string, string>()).IsEverything);
        Assert.Throws<SelectorException>(() => LabelSelector.FromSet(new Dictionary<string, string> { ["a"] = "b c" }));
    }
}
