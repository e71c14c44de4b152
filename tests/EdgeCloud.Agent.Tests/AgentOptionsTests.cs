namespace EdgeCloud.Agent.Tests;

public sealed class AgentOptionsTests
{
    [Fact]
    public void Labels_parse_into_pairs_and_a_pair_without_equals_is_refused()
    {
        var labels = AgentOptions.ParseLabels("topology.kubernetes.io/zone=us-east-1-wl1-bos-wlz-1, site=plant-7", out var error);
        Assert.Null(error);
        Assert.Equal("us-east-1-wl1-bos-wlz-1", labels!["topology.kubernetes.io/zone"]);
        Assert.Equal("plant-7", labels["site"]);

        Assert.Null(AgentOptions.ParseLabels("site", out error));
        Assert.Contains("\"site\" is not key=value", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Servers_must_be_absolute_https_urls()
    {
        var servers = AgentOptions.ParseServers("https://a:6443,https://b:6443", out var error);
        Assert.Null(error);
        Assert.Equal(2, servers!.Count);

        Assert.Null(AgentOptions.ParseServers("a:6443", out error));
        Assert.Contains("not an https:// URL", error, StringComparison.Ordinal);
        Assert.Null(AgentOptions.ParseServers("", out error));
        Assert.Contains("--server is required", error, StringComparison.Ordinal);
    }
}
