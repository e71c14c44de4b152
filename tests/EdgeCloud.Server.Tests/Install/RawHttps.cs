using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace EdgeCloud.Server.Tests.Install;

/// <summary>
/// One HTTP/1.1 request written by hand over TLS, for Host headers HttpClient refuses to send. Returns the whole
/// response as text (status line, headers, body).
/// </summary>
public static class RawHttps
{
    public static async Task<string> GetAsync(int port, string host, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token);
        // The test's own client: what the server answers is under test, not its certificate.
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, static (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        var request = $"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n";
        await tls.WriteAsync(Encoding.Latin1.GetBytes(request), timeout.Token);
        using var response = new MemoryStream();
        await tls.CopyToAsync(response, timeout.Token);
        return Encoding.UTF8.GetString(response.ToArray());
    }

    /// <summary>The status code of a response <see cref="GetAsync"/> returned.</summary>
    public static int StatusOf(string response) => int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
}
