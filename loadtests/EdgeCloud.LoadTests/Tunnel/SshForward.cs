using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>
/// A private sshd on 127.0.0.1 (own host key, own authorized key, own config in a temporary directory) and one
/// <c>ssh -N -R</c> client forwarding two of sshd's ports back to the agent side's targets: the classic way of
/// reaching a machine behind NAT, here as the comparison for the tunnel. Both processes stop on dispose.
/// </summary>
internal sealed class SshForward : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private readonly string _directory;
    private readonly List<Process> _processes = [];

    private SshForward(string directory)
    {
        _directory = directory;
    }

    public int RemoteSinkPort { get; private set; }

    public int RemoteHelloPort { get; private set; }

    /// <summary>Null with a reason when openssh-server or openssh-client is not installed or does not come up.</summary>
    public static async Task<(SshForward? Forward, string? Unavailable)> StartAsync(int sinkPort, int helloPort, CancellationToken cancellationToken)
    {
        if (!File.Exists(Sshd) || FindOnPath("ssh") is not { } ssh || FindOnPath("ssh-keygen") is not { } keygen)
        {
            return (null, "openssh-server/openssh-client are not installed (apt-get install openssh-server openssh-client)");
        }

        var directory = Directory.CreateTempSubdirectory("edgecloud-ssh-bench-").FullName;
        var forward = new SshForward(directory);
        try
        {
            Directory.CreateDirectory("/run/sshd");
            await RunAsync(keygen, ["-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(directory, "host_key")], cancellationToken);
            await RunAsync(keygen, ["-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(directory, "client_key")], cancellationToken);
            File.Copy(Path.Combine(directory, "client_key.pub"), Path.Combine(directory, "authorized_keys"));
            var sshdPort = FreePort();
            await File.WriteAllTextAsync(Path.Combine(directory, "sshd_config"), $"""
                Port {sshdPort}
                ListenAddress 127.0.0.1
                HostKey {directory}/host_key
                AuthorizedKeysFile {directory}/authorized_keys
                PidFile {directory}/sshd.pid
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                PermitRootLogin prohibit-password
                AllowTcpForwarding yes
                LogLevel FATAL
                """, cancellationToken);
            forward.Start(Sshd, ["-D", "-e", "-f", Path.Combine(directory, "sshd_config")]);
            await WaitForPortAsync(sshdPort, cancellationToken);

            forward.RemoteSinkPort = FreePort();
            forward.RemoteHelloPort = FreePort();
            forward.Start(ssh,
            [
                "-N", "-T", "-p", sshdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", Path.Combine(directory, "client_key"),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "ExitOnForwardFailure=yes", "-o", "LogLevel=ERROR",
                "-R", $"127.0.0.1:{forward.RemoteSinkPort}:127.0.0.1:{sinkPort}",
                "-R", $"127.0.0.1:{forward.RemoteHelloPort}:127.0.0.1:{helloPort}",
                $"{Environment.UserName}@127.0.0.1",
            ]);
            await WaitForPortAsync(forward.RemoteSinkPort, cancellationToken);
            await WaitForPortAsync(forward.RemoteHelloPort, cancellationToken);
            return (forward, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await forward.DisposeAsync();
            return (null, "ssh -R did not come up: " + e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
            }

            process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private void Start(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _processes.Add(Process.Start(info) ?? throw new InvalidOperationException("could not start " + file));
    }

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}");
        }
    }

    private static async Task WaitForPortAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 15;
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return;
            }
            catch (SocketException) when (Stopwatch.GetTimestamp() < deadline)
            {
                // Polled: sshd and ssh have no readiness signal of their own.
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
