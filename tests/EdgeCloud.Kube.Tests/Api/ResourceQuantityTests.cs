using EdgeCloud.Kube.Api;

// Not EdgeCloud.Kube.Tests.Api: that namespace would shadow EdgeCloud.Kube.Api for the other tests that write "Api.KubeApiException".
namespace EdgeCloud.Kube.Tests;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("100m", 100, 1)]
    [InlineData("0.5", 500, 1)]
    [InlineData("2", 2000, 2)]
    [InlineData("+2", 2000, 2)]
    [InlineData("1.5k", 1_500_000, 1500)]
    [InlineData("1e3", 1_000_000, 1000)]
    [InlineData("1E3", 1_000_000, 1000)]
    [InlineData("15e-1", 1500, 2)]
    [InlineData("1Ki", 1_024_000, 1024)]
    [InlineData("128Mi", 134_217_728_000, 134_217_728)]
    [InlineData("1Gi", 1_073_741_824_000, 1_073_741_824)]
    [InlineData("1G", 1_000_000_000_000, 1_000_000_000)]
    [InlineData("1M", 1_000_000_000, 1_000_000)]
    [InlineData("2T", 2_000_000_000_000_000, 2_000_000_000_000)]
    [InlineData("1.5Gi", 1_610_612_736_000, 1_610_612_736)]
    [InlineData(".5", 500, 1)]
    [InlineData("1.", 1000, 1)]
    [InlineData("0", 0, 0)]
    [InlineData("250u", 1, 1)]
    [InlineData("1n", 1, 1)]
    [InlineData("1500n", 1, 1)]
    [InlineData("0.0001", 1, 1)]
    [InlineData("-100m", -100, -1)]
    [InlineData("-1.5", -1500, -2)]
    public void Parses_like_resource_Quantity(string text, long milli, long value)
    {
        Assert.True(ResourceQuantity.TryParse(text, out var quantity));
        Assert.Equal(milli, quantity.ToMilli());
        Assert.Equal(value, quantity.ToValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData(".")]
    [InlineData("m")]
    [InlineData("1x")]
    [InlineData("1KI")]
    [InlineData("1ki")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e3.5")]
    [InlineData("1Mi2")]
    [InlineData("1..2")]
    [InlineData("--1")]
    [InlineData("1,5")]
    [InlineData(null)]
    public void Rejects_what_is_not_a_quantity(string? text)
    {
        Assert.False(ResourceQuantity.TryParse(text, out _));
    }

    [Fact]
    public void Parse_throws_on_bad_input()
    {
        Assert.Throws<FormatException>(() => ResourceQuantity.Parse("ten"));
        Assert.Equal(2500, ResourceQuantity.Parse("2.5").ToMilli());
    }

    [Fact]
    public void Huge_values_are_capped_at_the_largest_long()
    {
        Assert.True(ResourceQuantity.TryParse("1e100", out var huge));
        Assert.Equal(long.MaxValue, huge.ToValue());
        Assert.Equal(long.MaxValue, huge.ToMilli());
        Assert.True(ResourceQuantity.TryParse("8Ei", out var eight));
        Assert.Equal(long.MaxValue, eight.ToValue());
        Assert.True(ResourceQuantity.TryParse("1Ei", out var one));
        Assert.Equal(1L << 60, one.ToValue());
        Assert.True(ResourceQuantity.TryParse("1e-100000000", out var tiny));
        Assert.Equal(1, tiny.ToMilli());
    }

    [Fact]
    public void Compares_by_value_across_notations()
    {
        var a = ResourceQuantity.Parse("1k");
        var b = ResourceQuantity.Parse("1000");
        var c = ResourceQuantity.Parse("1Ki");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.True(a < c);
        Assert.True(c > b);
        Assert.True(a <= b && a >= b);
        Assert.True(a != c);
        Assert.Equal(-1, a.CompareTo(c));
        Assert.Equal(ResourceQuantity.Parse("500m"), ResourceQuantity.FromMilli(500));
        Assert.True(ResourceQuantity.Parse("0.000").IsZero);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("1500m", "1500m")]
    [InlineData("2", "2")]
    [InlineData("1Ki", "1024")]
    public void Prints_in_units_or_thousandths(string text, string printed)
    {
        Assert.Equal(printed, ResourceQuantity.Parse(text).ToString());
    }
}
