using System.Text.Json.Nodes;
using EdgeCloud.Agent.Pods;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Runtime.Docker;
using EdgeCloud.Agent.Runtime.Docker.Api;

namespace EdgeCloud.Agent.Tests.Pods;

/// <summary>A container's resources as the agent reads them, and as the docker runtime turns them into cgroup settings.</summary>
public sealed class ContainerResourceSpecTests
{
    [Theory]
    [InlineData("128Mi", "134217728")]
    [InlineData("1G", "1000000000")]
    [InlineData("1.5Ki", "1536")]
    [InlineData("1e3", "1000")]
    [InlineData("5E-1", "0.5")]
    [InlineData("2E", "2000000000000000000")]
    [InlineData("1Ei", "1152921504606846976")]
    [InlineData("250m", "0.25")]
    [InlineData("+.5", "0.5")]
    [InlineData("3", "3")]
    public void Quantities_are_read_in_base_units(string text, string expected)
    {
        Assert.True(ResourceQuantityText.TryParse(text, out var value), text);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12x")]
    [InlineData("Mi")]
    [InlineData("1 Mi")]
    [InlineData("1e")]
    [InlineData("1e99")]
    [InlineData("1,5")]
    [InlineData("1.2.3")]
    [InlineData("1mi")]
    public void Text_that_is_not_a_quantity_is_refused(string text) =>
        Assert.False(ResourceQuantityText.TryParse(text, out _), text);

    [Fact]
    public void Limits_and_requests_are_read_in_bytes_and_millicores_rounding_up()
    {
        var resources = ContainerResourceSpec.Read(Json("""{"limits": {"memory": "64Mi", "cpu": "250m"}, "requests": {"cpu": "100m", "memory": "32Mi"}}"""));
        Assert.Equal(new ContainerResources { MemoryLimitBytes = 64 << 20, CpuLimitMillicores = 250, CpuRequestMillicores = 100 }, resources);

        // A JSON number is a quantity too; a thousandth of a millicore rounds up to one.
        Assert.Equal(1, ContainerResourceSpec.Read(Json("""{"requests": {"cpu": 0.0000001}}""")).CpuRequestMillicores);
        Assert.Equal(2000, ContainerResourceSpec.Read(Json("""{"limits": {"cpu": 2}}""")).CpuLimitMillicores);
    }

    [Fact]
    public void A_cpu_request_defaults_to_the_limit_and_nothing_given_is_none()
    {
        Assert.Equal(500, ContainerResourceSpec.Read(Json("""{"limits": {"cpu": "0.5"}}""")).CpuRequestMillicores);
        Assert.Same(ContainerResources.None, ContainerResourceSpec.Read(null));
        Assert.Equal(ContainerResources.None, ContainerResourceSpec.Read(Json("""{"limits": {"ephemeral-storage": "1Gi", "example.com/gpu": "1"}}""")));
    }

    [Theory]
    [InlineData("""{"limits": {"memory": "lots"}}""", "resources.limits.memory: \"lots\"")]
    [InlineData("""{"limits": {"cpu": "-1"}}""", "resources.limits.cpu: \"-1\"")]
    [InlineData("""{"requests": {"cpu": "9E"}}""", "resources.requests.cpu: \"9E\"")]
    [InlineData("""{"limits": {"memory": true}}""", "resources.limits.memory: \"true\"")]
    public void A_value_the_agent_cannot_apply_fails_the_container_configuration_naming_it(string spec, string message)
    {
        var error = Assert.Throws<ContainerConfigException>(() => ContainerResourceSpec.Read(Json(spec)));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_settings_follow_the_kubelet_quota_shares_and_no_swap()
    {
        var host = DockerResources.Apply(new HostConfigRequest(), new ContainerResources { MemoryLimitBytes = 64 << 20, CpuLimitMillicores = 250, CpuRequestMillicores = 100 });
        Assert.Equal(64 << 20, host.Memory);
        Assert.Equal(64 << 20, host.MemorySwap);
        Assert.Equal(100_000, host.CpuPeriod);
        Assert.Equal(25_000, host.CpuQuota);
        Assert.Equal(102, host.CpuShares);

        // Below the kernel's 1 ms quota the limit rounds up to it; without a request a container gets 2 shares.
        var tiny = DockerResources.Apply(new HostConfigRequest(), new ContainerResources { CpuLimitMillicores = 1 });
        Assert.Equal(1_000, tiny.CpuQuota);
        var none = DockerResources.Apply(new HostConfigRequest(), ContainerResources.None);
        Assert.Equal((null, null, null, null, 2L), (none.Memory, none.MemorySwap, none.CpuPeriod, none.CpuQuota, none.CpuShares));
        Assert.Equal(262_144, DockerResources.Apply(new HostConfigRequest(), new ContainerResources { CpuRequestMillicores = 1L << 62 }).CpuShares);
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();
}
