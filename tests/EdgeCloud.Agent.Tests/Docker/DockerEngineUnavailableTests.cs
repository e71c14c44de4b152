using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Runtime.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Agent.Tests.Docker;

/// <summary>The docker runtime without an engine behind its socket: no Podman needed.</summary>
public sealed class DockerEngineUnavailableTests
{
    [Fact]
    public async Task Wrong_socket_path_fails_with_a_message_naming_the_socket()
    {
        var socket = Path.Combine(Path.GetTempPath(), "edgecloud-no-engine-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        await using var runtime = new DockerRuntime(new DockerRuntimeOptions { SocketPath = socket }, NullLogger<DockerRuntime>.Instance, TimeProvider.System);
        var launch = new ContainerLaunch
        {
            PodUid = Guid.NewGuid().ToString(),
            PodNamespace = "default",
            PodName = "p",
            ContainerName = "c",
            Attempt = 0,
            Image = "localhost/any:test",
            PodDirectory = Path.GetTempPath(),
        };

        var start = await Assert.ThrowsAsync<DockerEngineException>(() => runtime.StartAsync(launch, TestContext.Current.CancellationToken));
        var list = await Assert.ThrowsAsync<DockerEngineException>(() => runtime.ListAsync(TestContext.Current.CancellationToken));
        var exec = await Assert.ThrowsAsync<DockerEngineException>(() => runtime.ExecAsync("x", new ContainerExec { Command = ["true"] }, TestContext.Current.CancellationToken));

        foreach (var error in new[] { start, list, exec })
        {
            Assert.Null(error.StatusCode);
            Assert.Contains(socket, error.Message, StringComparison.Ordinal);
            Assert.Contains("Cannot reach the Docker Engine API", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_without_a_socket_are_refused_with_how_to_fix_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new DockerRuntime(new DockerRuntimeOptions { SocketPath = " " }, NullLogger<DockerRuntime>.Instance, TimeProvider.System));
        Assert.Contains("--docker-socket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Container_names_carry_pod_namespace_uid_prefix_and_attempt()
    {
        var launch = new ContainerLaunch
        {
            PodUid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            PodNamespace = "team-a",
            PodName = "web-1",
            ContainerName = "nginx",
            Attempt = 4,
            Image = "nginx",
            PodDirectory = "/tmp",
        };

        Assert.Equal("ec_nginx_web-1_team-a_0f1e2d3c_4", DockerRuntime.ContainerNameFor(launch));
    }
}
