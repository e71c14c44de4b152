using EdgeCloud.Agent.Streams;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.Tests.NodeProxy;

public sealed class PodStreamHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SinceSeconds_counts_back_from_the_agents_clock_and_sinceTime_is_taken_as_is()
    {
        var relative = PodStreamHandler.ToLogRequest(new NodeLogOptions { SinceSeconds = 90, TailLines = 5, Timestamps = true, LimitBytes = 100, Follow = true }, Now);
        Assert.Equal(Now.AddSeconds(-90), relative.Since);
        Assert.Equal((5, true, 100L, true), (relative.TailLines, relative.Timestamps, relative.LimitBytes, relative.Follow));

        var absolute = PodStreamHandler.ToLogRequest(new NodeLogOptions { SinceTime = Now.AddHours(-1) }, Now);
        Assert.Equal(Now.AddHours(-1), absolute.Since);
        Assert.Null(absolute.TailLines);
    }

    [Fact]
    public void A_huge_tailLines_is_clamped_rather_than_overflowing()
    {
        Assert.Equal(int.MaxValue, PodStreamHandler.ToLogRequest(new NodeLogOptions { TailLines = long.MaxValue }, Now).TailLines);
    }
}
