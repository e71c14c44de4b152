using System.Security.Cryptography;
using System.Text;

namespace EdgeCloud.Store.CrashWriter;

/// <summary>
/// One writer loop: alternately creates a new key <c>/crash/w{writer}/{seq}</c> and compare-and-swaps the
/// writer's own key <c>/crash/w{writer}/cas</c>, and reports every write the store returned as applied.
/// </summary>
internal sealed class AcknowledgingWriter(IRevisionedStore store, string clusterId, int writer, AckLog log)
{
    private readonly string _prefix = $"/crash/w{writer}/";

    public string CasKey => _prefix + "cas";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var casRevision = await CreateCasKeyAsync(cancellationToken);
        for (long seq = 0; ; seq++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = _prefix + seq.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
            var value = NewValue(key);
            var created = await store.CreateAsync(clusterId, key, value, cancellationToken: cancellationToken);
            switch (created.Status)
            {
                case WriteStatus.Applied:
                    log.Ack(key, created.Item!.ModRevision, Hash(value));
                    break;
                case WriteStatus.AlreadyExists:
                    // Left by an earlier run on the same cluster: not ours to report.
                    break;
                default:
                    throw new InvalidOperationException($"create {key} returned {created.Status} at revision {created.Revision}");
            }

            value = NewValue(CasKey);
            var updated = await store.UpdateAsync(clusterId, CasKey, value, casRevision, cancellationToken: cancellationToken);
            if (updated.Status != WriteStatus.Applied)
            {
                // Only this loop writes the key: a conflict means the store lost or invented a version.
                throw new InvalidOperationException(
                    $"compare-and-swap of {CasKey} expecting mod revision {casRevision} returned {updated.Status}; the store holds mod revision {updated.Item?.ModRevision}");
            }

            casRevision = updated.Item!.ModRevision;
            log.Ack(CasKey, casRevision, Hash(value));
        }
    }

    private async Task<long> CreateCasKeyAsync(CancellationToken cancellationToken)
    {
        var value = NewValue(CasKey);
        var created = await store.CreateAsync(clusterId, CasKey, value, cancellationToken: cancellationToken);
        switch (created.Status)
        {
            case WriteStatus.Applied:
                log.Ack(CasKey, created.Item!.ModRevision, Hash(value));
                return created.Item.ModRevision;
            case WriteStatus.AlreadyExists:
                return created.Item!.ModRevision;
            default:
                throw new InvalidOperationException($"create {CasKey} returned {created.Status}");
        }
    }

    /// <summary>A value unique to this write (key, time, random padding of varying length), so its hash identifies it.</summary>
    private static byte[] NewValue(string key)
    {
        var header = Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\",\"at\":{DateTime.UtcNow.Ticks},\"pad\":\"");
        var pad = new byte[Random.Shared.Next(16, 1024)];
        Random.Shared.NextBytes(pad);
        var padHex = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(pad));
        return [.. header, .. padHex, .. "\"}"u8];
    }

    private static string Hash(byte[] value) => Convert.ToHexStringLower(SHA256.HashData(value));
}
