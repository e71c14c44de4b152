namespace EdgeCloud.Agent.Tests.Docker;

/// <summary>
/// The Podman Docker-API service scripts/test.sh starts (socket in EDGECLOUD_TEST_DOCKER_SOCKET, a local busybox
/// image in EDGECLOUD_TEST_IMAGE). Without it a test is skipped on a developer machine, and fails under CI=true:
/// CI must never pass by skipping.
/// </summary>
public static class PodmanEngine
{
    public const string SocketVariable = "EDGECLOUD_TEST_DOCKER_SOCKET";
    public const string ImageVariable = "EDGECLOUD_TEST_IMAGE";
    public const string EntrypointImageVariable = "EDGECLOUD_TEST_ENTRYPOINT_IMAGE";

    public static string SocketPath()
    {
        var socket = Environment.GetEnvironmentVariable(SocketVariable);
        if (!string.IsNullOrWhiteSpace(socket))
        {
            return socket;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{SocketVariable} is not set under CI=true: run the tests through scripts/test.sh, which starts Podman");
        }

        Assert.Skip($"Podman is not available: set {SocketVariable} (and {ImageVariable}) or run scripts/test.sh");
        return null!;
    }

    /// <summary>The busybox image with ENTRYPOINT ["echo","entry"] and CMD ["from-cmd"]; skipped (failed under CI) without it.</summary>
    public static string EntrypointImage()
    {
        var image = Environment.GetEnvironmentVariable(EntrypointImageVariable);
        if (!string.IsNullOrWhiteSpace(image))
        {
            return image;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{EntrypointImageVariable} is not set under CI=true: run the tests through scripts/test.sh, which imports it");
        }

        Assert.Skip($"The image with an entrypoint is not available: set {EntrypointImageVariable} or run scripts/test.sh");
        return null!;
    }

    public static string Image() =>
        Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } image ? image : "localhost/edgecloud-busybox:test";
}
