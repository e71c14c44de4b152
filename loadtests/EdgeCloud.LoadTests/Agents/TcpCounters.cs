using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>
/// The kernel's counters of one process's TCP connections to one port, summed, as <c>ss -tinp</c> (iproute2) prints
/// them: payload bytes the process sent and had acknowledged (TLS records included: what leaves the device), bytes
/// received, and segments out (data and pure ACKs alike), for the IP/TCP header estimate.
/// </summary>
internal sealed partial record TcpCounters
{
    /// <summary>IPv4 (20) and TCP (20) headers plus the timestamp option (12) Linux puts on every segment.</summary>
    public const int HeaderBytesPerSegment = 52;

    /// <summary>How many connections matched.</summary>
    public required int Connections { get; init; }

    public required long BytesAcked { get; init; }

    public required long BytesReceived { get; init; }

    public required long SegmentsOut { get; init; }

    /// <summary>The counters now, of <paramref name="pid"/>'s established connections to 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<TcpCounters> ReadAsync(int pid, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ss")
        {
            ArgumentList = { "-tinpH", "state", "established", $"dport = :{port.ToString(CultureInfo.InvariantCulture)}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var ss = Process.Start(start) ?? throw new InvalidOperationException("ss (iproute2) did not start");
        var errors = ss.StandardError.ReadToEndAsync(cancellationToken);
        var output = await ss.StandardOutput.ReadToEndAsync(cancellationToken);
        await ss.WaitForExitAsync(cancellationToken);
        if (ss.ExitCode != 0)
        {
            throw new InvalidOperationException($"ss exited with {ss.ExitCode}: {await errors}");
        }

        return Parse(output, pid);
    }

    /// <summary>
    /// Sums the connections of <paramref name="pid"/> in ss output: each connection is a line naming its owner
    /// (users:(("edge-agent",pid=123,fd=45))) followed by an indented line of counters.
    /// </summary>
    public static TcpCounters Parse(string output, int pid)
    {
        var owner = $"pid={pid.ToString(CultureInfo.InvariantCulture)},";
        var connections = 0;
        long acked = 0, received = 0, segments = 0;
        var ours = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                ours = line.Contains(owner, StringComparison.Ordinal);
                connections += ours ? 1 : 0;
                continue;
            }

            if (ours)
            {
                acked += Counter(line, "bytes_acked");
                received += Counter(line, "bytes_received");
                segments += Counter(line, "segs_out");
                ours = false;
            }
        }

        return new TcpCounters { Connections = connections, BytesAcked = acked, BytesReceived = received, SegmentsOut = segments };
    }

    public static TcpCounters operator -(TcpCounters after, TcpCounters before) => new()
    {
        Connections = after.Connections,
        BytesAcked = after.BytesAcked - before.BytesAcked,
        BytesReceived = after.BytesReceived - before.BytesReceived,
        SegmentsOut = after.SegmentsOut - before.SegmentsOut,
    };

    private static long Counter(string line, string name)
    {
        foreach (Match match in CounterPattern().Matches(line))
        {
            if (match.Groups[1].ValueSpan.SequenceEqual(name))
            {
                return long.Parse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [GeneratedRegex(@"(?:^|\s)([a-z_]+):(\d+)(?=\s|$)")]
    private static partial Regex CounterPattern();
}
