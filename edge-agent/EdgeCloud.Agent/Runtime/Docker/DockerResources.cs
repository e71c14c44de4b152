using EdgeCloud.Agent.Runtime.Docker.Api;

namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// A container's requests and limits as engine cgroup settings, the way the kubelet sets them through the CRI:
/// the cpu limit is a CFS quota over a 100 ms period, the cpu request is cpu.shares (1,024 per core, from 2 to 262,144),
/// the memory limit is a hard limit with no swap.
/// </summary>
internal static class DockerResources
{
    /// <summary>The CFS period the kubelet uses: 100,000 µs.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    // The kernel's smallest CFS quota is 1 ms; the kubelet rounds smaller limits up to it.
    private const long MinCpuQuotaMicroseconds = 1_000;

    // The kubelet gives containers without a cpu request (BestEffort) the smallest weight, 2 shares.
    private const long MinCpuShares = 2;

    // cgroup v1's largest cpu.shares.
    private const long MaxCpuShares = 262_144;

    // A million cores: far above any node, and small enough that quota and shares arithmetic cannot overflow.
    private const long MaxMillicores = 1_000_000_000;

    /// <summary><paramref name="host"/> with the cgroup settings of <paramref name="resources"/>; zero or absent values set nothing (no limit).</summary>
    public static HostConfigRequest Apply(HostConfigRequest host, ContainerResources resources)
    {
        var memory = resources.MemoryLimitBytes is > 0 ? resources.MemoryLimitBytes : null;
        var quota = resources.CpuLimitMillicores is > 0 and var limit
            ? Math.Max(MinCpuQuotaMicroseconds, Math.Min(limit, MaxMillicores) * CpuPeriodMicroseconds / 1000)
            : (long?)null;
        return host with
        {
            Memory = memory,
            MemorySwap = memory,
            CpuPeriod = quota is null ? null : CpuPeriodMicroseconds,
            CpuQuota = quota,
            CpuShares = Math.Clamp(Math.Min(resources.CpuRequestMillicores ?? 0, MaxMillicores) * 1024 / 1000, MinCpuShares, MaxCpuShares),
        };
    }
}
