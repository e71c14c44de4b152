namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>Where the docker runtime finds the Docker Engine API.</summary>
internal sealed class DockerRuntimeOptions
{
    /// <summary>The engine's unix socket. Defaults to /var/run/docker.sock (for Podman: podman system service's socket).</summary>
    public string SocketPath { get; init; } = "/var/run/docker.sock";

    /// <summary>
    /// The Engine API version every path is prefixed with (/v1.41/...). Defaults to 1.41, the newest that both
    /// Docker 20.10+ and Podman 4 serve.
    /// </summary>
    public string ApiVersion { get; init; } = "1.41";

    /// <summary>Throws with a message saying how to fix the setting when an option is unusable.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(SocketPath))
        {
            throw new ArgumentException("The docker runtime needs the Docker Engine API socket: set --docker-socket (e.g. /var/run/docker.sock or the socket of `podman system service`)");
        }

        if (!Version.TryParse(ApiVersion, out _))
        {
            throw new ArgumentException($"The Docker Engine API version \"{ApiVersion}\" is not a version like 1.41");
        }
    }
}
