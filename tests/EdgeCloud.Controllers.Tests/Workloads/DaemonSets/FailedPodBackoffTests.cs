using EdgeCloud.Controllers.Workloads.DaemonSets;
using static EdgeCloud.Controllers.Tests.Workloads.DaemonSets.DaemonSetObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

public sealed class FailedPodBackoffTests
{
    [Fact]
    public void Delay_doubles_from_one_second_up_to_fifteen_minutes()
    {
        var backoff = new FailedPodBackoff();
        var key = FailedPodBackoff.Key("ds", "n1");
        Assert.Equal(TimeSpan.Zero, backoff.Remaining(key, Now));
        var at = Now;
        var seen = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            backoff.Next(key, at);
            seen.Add(backoff.Remaining(key, at));
            at += seen[^1];
        }

        Assert.Equal(TimeSpan.FromSeconds(1), seen[0]);
        Assert.Equal(TimeSpan.FromSeconds(2), seen[1]);
        Assert.Equal(TimeSpan.FromSeconds(512), seen[9]);
        Assert.Equal(TimeSpan.FromMinutes(15), seen[10]);
        Assert.Equal(TimeSpan.FromMinutes(15), seen[11]);
    }

    [Fact]
    public void Nodes_back_off_independently_and_a_quiet_node_starts_over()
    {
        var backoff = new FailedPodBackoff();
        var a = FailedPodBackoff.Key("ds", "a");
        var b = FailedPodBackoff.Key("ds", "b");
        backoff.Next(a, Now);
        backoff.Next(a, Now.AddSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Remaining(a, Now.AddSeconds(1)));
        Assert.Equal(TimeSpan.Zero, backoff.Remaining(b, Now));

        var muchLater = Now.AddMinutes(31);
        backoff.Next(a, muchLater);
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Remaining(a, muchLater));

        backoff.Next(b, Now);
        backoff.Prune(Now.AddMinutes(31));
        backoff.Next(b, Now.AddMinutes(31));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Remaining(b, Now.AddMinutes(31)));
    }
}
