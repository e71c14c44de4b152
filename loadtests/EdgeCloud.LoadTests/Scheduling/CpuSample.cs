using System.Diagnostics;

namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>
/// CPU time of the server and of this load generator at one moment, or between two (subtract them). Other work
/// shares this machine's cores, so CPU per pod says more about cost than a wall-clock rate does.
/// </summary>
internal readonly record struct CpuSample(TimeSpan Server, TimeSpan Client)
{
    public static CpuSample Take(EdgeCloudProcess server)
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSample(server.CpuTime, self.TotalProcessorTime);
    }

    public static CpuSample operator -(CpuSample later, CpuSample earlier) => new(later.Server - earlier.Server, later.Client - earlier.Client);

    public double ServerMsPer(int count) => count > 0 ? Server.TotalMilliseconds / count : 0;

    public double ClientMsPer(int count) => count > 0 ? Client.TotalMilliseconds / count : 0;
}
