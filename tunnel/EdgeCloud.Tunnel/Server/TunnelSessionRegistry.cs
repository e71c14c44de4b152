using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Tunnel;

/// <summary>
/// The live sessions of a tunnel endpoint by peer identity (one per identity: a new session replaces and closes
/// the previous one, as an agent that reconnects must not leave a half-dead session behind to be picked).
/// </summary>
public sealed class TunnelSessionRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TunnelSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource<TunnelSession>>> _waiters = new(StringComparer.Ordinal);

    /// <summary>Live sessions.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>The live session of <paramref name="identity"/>, if there is one.</summary>
    public bool TryGetSession(string identity, [NotNullWhen(true)] out TunnelSession? session)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(identity, out session);
        }
    }

    /// <summary>The live sessions at this moment.</summary>
    public IReadOnlyList<TunnelSession> Snapshot()
    {
        lock (_lock)
        {
            return [.. _sessions.Values];
        }
    }

    /// <summary>The live session of <paramref name="identity"/>, waiting for one (e.g. while the agent reconnects) until <paramref name="cancellationToken"/> fires.</summary>
    public async Task<TunnelSession> WaitForSessionAsync(string identity, CancellationToken cancellationToken)
    {
        TaskCompletionSource<TunnelSession> waiter;
        lock (_lock)
        {
            if (_sessions.TryGetValue(identity, out var session))
            {
                return session;
            }

            waiter = new TaskCompletionSource<TunnelSession>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiters.TryGetValue(identity, out var list))
            {
                _waiters[identity] = list = [];
            }

            list.Add(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                if (_waiters.TryGetValue(identity, out var list) && list.Remove(waiter) && list.Count == 0)
                {
                    _waiters.Remove(identity);
                }
            }
        }
    }

    /// <summary>Adds a session; returns the one it replaces, which the caller closes.</summary>
    internal TunnelSession? Register(TunnelSession session, ILogger logger)
    {
        var identity = session.Identity ?? throw new ArgumentException("a registered session needs an identity", nameof(session));
        TunnelSession? replaced;
        List<TaskCompletionSource<TunnelSession>>? waiters;
        lock (_lock)
        {
            _sessions.TryGetValue(identity, out replaced);
            _sessions[identity] = session;
            _waiters.Remove(identity, out waiters);
        }

        if (replaced is not null)
        {
            TunnelLog.SessionReplaced(logger, identity);
        }

        foreach (var waiter in waiters ?? [])
        {
            waiter.TrySetResult(session);
        }

        return replaced;
    }

    /// <summary>Removes a session that ended, unless a newer one has already replaced it.</summary>
    internal void Remove(TunnelSession session)
    {
        lock (_lock)
        {
            if (session.Identity is { } identity && _sessions.TryGetValue(identity, out var current) && current == session)
            {
                _sessions.Remove(identity);
            }
        }
    }
}
