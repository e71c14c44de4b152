using System.Diagnostics.Metrics;
using EdgeCloud.Tunnel;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>
/// Listens to the tunnel's meter for the benchmark's diagnosis: credit stalls, and WebSocket messages sent and
/// received (each <c>bytes_sent</c>/<c>bytes_received</c> measurement is one send or one receive).
/// </summary>
internal sealed class TunnelCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _stalls;
    private long _sends;
    private long _receives;

    public TunnelCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TunnelMetrics.MeterName && instrument.Name is TunnelMetrics.CreditStallsName or TunnelMetrics.BytesSentName or TunnelMetrics.BytesReceivedName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case TunnelMetrics.CreditStallsName:
                    Interlocked.Add(ref _stalls, value);
                    break;
                case TunnelMetrics.BytesSentName:
                    Interlocked.Increment(ref _sends);
                    break;
                default:
                    Interlocked.Increment(ref _receives);
                    break;
            }
        });
        _listener.Start();
    }

    public (long Stalls, long Sends, long Receives) Snapshot() => (Interlocked.Read(ref _stalls), Interlocked.Read(ref _sends), Interlocked.Read(ref _receives));

    public void Dispose() => _listener.Dispose();
}
