using Microsoft.Extensions.Logging;
using Npgsql;

namespace EdgeCloud.Store.Postgres;

/// <summary>
/// Holds one LISTEN connection per process and turns the notices other processes send at commit into watch
/// wake-ups. A notice only says "cluster X reached revision N"; the watch feed then reads the history table,
/// so a notice lost with a broken connection loses no event: on reconnect every feed re-reads.
/// </summary>
internal sealed class PostgresChangeListener(string connectionString, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    /// <summary>Raised with (cluster, revision) for every notice.</summary>
    public event Action<string, long>? Changed;

    /// <summary>Raised after the connection was re-established: notices may have been missed meanwhile.</summary>
    public event Action? Reconnected;

    /// <summary>Starts listening and waits for the first LISTEN to be in place.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _firstConnect = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        await _firstConnect.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // The listener is idle for long stretches: keepalives find a dead connection, and it stays out of the pool.
            KeepAlive = 15,
            Pooling = false,
        };
        var connected = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresBackend.ChangeChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                StoreLog.ListenerConnected(logger);
                backoff = TimeSpan.FromMilliseconds(100);
                if (connected)
                {
                    Reconnected?.Invoke();
                }

                connected = true;
                _firstConnect.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (!connected)
                {
                    _firstConnect.TrySetException(ex);
                    return;
                }

                StoreLog.ListenerDisconnected(logger, backoff, ex);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
                // Anything committed while disconnected was never announced to us.
                Reconnected?.Invoke();
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs args)
    {
        var payload = args.Payload;
        var space = payload.LastIndexOf(' ');
        if (space > 0 && long.TryParse(payload.AsSpan(space + 1), out var revision))
        {
            Changed?.Invoke(payload[..space], revision);
        }
    }
}
