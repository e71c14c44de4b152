using EdgeCloud.Controllers.Scheduling;

namespace EdgeCloud.Controllers.Tests.Scheduling;

public sealed class TolerationTests
{
    private static readonly Taint Gpu = new("dedicated", "gpu", Taint.NoSchedule);

    [Theory]
    [InlineData("dedicated", "Equal", "gpu", "NoSchedule", true)]
    [InlineData("dedicated", "", "gpu", "NoSchedule", true)]
    [InlineData("dedicated", "Equal", "cpu", "NoSchedule", false)]
    [InlineData("dedicated", "Exists", "", "NoSchedule", true)]
    [InlineData("dedicated", "Exists", "", "", true)]
    [InlineData("dedicated", "Exists", "", "NoExecute", false)]
    [InlineData("dedicated", "Equal", "gpu", "PreferNoSchedule", false)]
    [InlineData("other", "Exists", "", "", false)]
    [InlineData("", "Exists", "", "", true)]
    [InlineData("", "Exists", "", "NoExecute", false)]
    [InlineData("dedicated", "Near", "gpu", "NoSchedule", false)]
    public void Matches_as_ToleratesTaint(string key, string op, string value, string effect, bool tolerated)
    {
        Assert.Equal(tolerated, new Toleration(key, op, value, effect).Tolerates(Gpu));
    }
}
