using System.Diagnostics;
using System.Globalization;
using EdgeCloud.Tunnel;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>
/// The separate load process of the idle-session measurement: opens N tunnel sessions (default keepalive on) to
/// the benchmark's server, says <c>READY n</c>, and on <c>MEASURE seconds</c> answers <c>BYTES total seconds</c>:
/// the TCP payload (both directions, all sessions) moved in that window. Exits when stdin closes.
/// </summary>
internal static class IdleSessionsChild
{
    public const string Command = "tunnel-idle-child";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(args[0]);
        var count = int.Parse(args[1], CultureInfo.InvariantCulture);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new CountingStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true));
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        var clients = new List<TunnelClient>(count);
        var workingSetBefore = Process.GetCurrentProcess().WorkingSet64;
        try
        {
            // Dial in waves so the listen backlog is never the bottleneck.
            for (var start = 0; start < count; start += 200)
            {
                var wave = Enumerable.Range(start, Math.Min(200, count - start)).Select(i =>
                {
                    var client = new TunnelClient(new TunnelClientOptions
                    {
                        Endpoints = [endpoint],
                        HttpMessageInvoker = invoker,
                        ConfigureWebSocket = o => o.SetRequestHeader("X-Node", "idle-" + i.ToString(CultureInfo.InvariantCulture)),
                        ConnectTimeout = TimeSpan.FromSeconds(60),
                    });
                    clients.Add(client);
                    client.Start();
                    return client.WaitForSessionAsync(cancellationToken);
                }).ToList();
                await Task.WhenAll(wave).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            }

            Console.WriteLine($"READY {count} {Process.GetCurrentProcess().WorkingSet64 - workingSetBefore}");
            while (await Console.In.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("MEASURE ", StringComparison.Ordinal))
                {
                    var seconds = double.Parse(line.AsSpan(8), CultureInfo.InvariantCulture);
                    var before = CountingStream.Total;
                    var started = Stopwatch.GetTimestamp();
                    await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    var alive = clients.Count(c => c.CurrentSession is { Completion.IsCompleted: false });
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BYTES {CountingStream.Total - before} {elapsed} {alive}"));
                }
            }

            return 0;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync("idle child failed: " + e);
            Console.WriteLine("ERROR " + e.Message.ReplaceLineEndings(" "));
            return 1;
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
