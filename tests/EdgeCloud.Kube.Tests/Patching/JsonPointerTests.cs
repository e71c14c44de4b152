using EdgeCloud.Kube.Patching;

namespace EdgeCloud.Kube.Tests.Patching;

public class JsonPointerTests
{
    [Fact]
    public void Empty_pointer_is_the_root()
    {
        var pointer = JsonPointer.Parse("");
        Assert.True(pointer.IsRoot);
        Assert.Empty(pointer.Tokens);
    }

    [Theory]
    [InlineData("/a~1b/c~0d", new[] { "a/b", "c~d" })]
    [InlineData("/~01", new[] { "~1" })]
    [InlineData("/", new[] { "" })]
    [InlineData("/a//b", new[] { "a", "", "b" })]
    [InlineData("/metadata/labels/app.kubernetes.io~1name", new[] { "metadata", "labels", "app.kubernetes.io/name" })]
    public void Tokens_are_unescaped(string text, string[] tokens)
    {
        Assert.Equal(tokens, JsonPointer.Parse(text).Tokens);
        Assert.Equal(text, JsonPointer.Parse(text).ToString());
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("/a~2")]
    [InlineData("/a~")]
    public void Malformed_pointers_are_refused_with_422(string text)
    {
        var error = Assert.Throws<PatchException>(() => JsonPointer.Parse(text));
        Assert.Equal(422, error.StatusCode);
        Assert.Contains("invalid JSON pointer", error.Message);
    }

    [Theory]
    [InlineData("0", true, 0)]
    [InlineData("10", true, 10)]
    [InlineData("01", false, 0)]
    [InlineData("-1", false, 0)]
    [InlineData("+1", false, 0)]
    [InlineData("-", false, 0)]
    [InlineData("1a", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("99999999999", false, 0)]
    public void Array_indexes_follow_RFC_6901(string token, bool valid, int expected)
    {
        Assert.Equal(valid, JsonPointer.TryParseIndex(token, out var index));
        if (valid)
        {
            Assert.Equal(expected, index);
        }
    }

    [Fact]
    public void Escape_round_trips_through_parse()
    {
        var token = "a/~b";
        Assert.Equal("a~1~0b", JsonPointer.Escape(token));
        Assert.Equal([token], JsonPointer.Parse("/" + JsonPointer.Escape(token)).Tokens);
    }
}
