using EdgeCloud.Kube.Kinds;

namespace EdgeCloud.Kube.Tests.Kinds;

public class KubeDurationTests
{
    [Theory]
    [InlineData(-3, "<invalid>")]
    [InlineData(-2, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(121, "2m1s")]
    [InlineData(330, "5m30s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(659, "10m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(8 * 3600 - 1, "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(48 * 3600 - 1, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(51 * 3600, "2d3h")]
    [InlineData(8 * 86400 - 1, "7d23h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(730 * 86400 - 1, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(740 * 86400, "2y10d")]
    [InlineData(8 * 365 * 86400 - 1, "7y364d")]
    [InlineData(8 * 365 * 86400, "8y")]
    [InlineData(9 * 365 * 86400 + 100 * 86400, "9y")]
    public void Human_matches_kubectl_at_each_boundary(long seconds, string expected)
    {
        Assert.Equal(expected, KubeDuration.Human(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Human_truncates_fractions_toward_zero()
    {
        Assert.Equal("1s", KubeDuration.Human(TimeSpan.FromMilliseconds(1999)));
        Assert.Equal("0s", KubeDuration.Human(TimeSpan.FromMilliseconds(-1999)));
        Assert.Equal("<invalid>", KubeDuration.Human(TimeSpan.FromMilliseconds(-2000)));
        Assert.Equal("119s", KubeDuration.Human(TimeSpan.FromMilliseconds(119_999)));
    }

    [Fact]
    public void Age_reads_rfc3339_and_reports_missing_times_as_unknown()
    {
        var now = new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("5m30s", KubeDuration.Age("2025-05-01T11:54:30Z", now));
        Assert.Equal("3h", KubeDuration.Age("2025-05-01T11:00:00+02:00", now));
        Assert.Equal("<unknown>", KubeDuration.Age(null, now));
        Assert.Equal("<unknown>", KubeDuration.Age("not a time", now));
    }
}
