using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Tunnel;

/// <summary>Maps the server end of the tunnel.</summary>
public static class TunnelEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Accepts tunnel WebSockets at <paramref name="pattern"/>: runs <see cref="TunnelServerOptions.Authenticate"/>
    /// (a failure answers 401/403 before the upgrade), upgrades, registers the session in
    /// <see cref="TunnelServerOptions.Registry"/> under its identity and keeps it until it ends. When the host stops,
    /// sessions shut down gracefully within <see cref="TunnelOptions.ShutdownTimeout"/>. The endpoint brings its own
    /// WebSocket middleware (with WebSocket-level pings off: the tunnel keeps itself alive).
    /// </summary>
    public static IEndpointConventionBuilder MapTunnel(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, TunnelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var services = endpoints.ServiceProvider;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("EdgeCloud.Tunnel") ?? NullLogger.Instance;
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var builder = endpoints.CreateApplicationBuilder().UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        builder.Run(context => AcceptAsync(context, options, timeProvider, logger, stopping));
        var pipeline = builder.Build();
        return endpoints.Map(pattern, pipeline).WithDisplayName("EdgeCloud tunnel " + pattern);
    }

    private static async Task AcceptAsync(HttpContext context, TunnelServerOptions options, TimeProvider timeProvider, ILogger logger, CancellationToken stopping)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("a tunnel endpoint takes WebSocket upgrades only", context.RequestAborted);
            return;
        }

        var auth = await options.Authenticate!(context);
        if (!auth.Succeeded)
        {
            var reason = auth.FailureReason ?? "rejected";
            TunnelLog.HandshakeRejected(logger, context.Connection.RemoteIpAddress?.ToString(), auth.StatusCode, reason);
            context.Response.StatusCode = auth.StatusCode;
            // Also as a header: a WebSocket client sees the status and headers of a refused upgrade, not its body.
            context.Response.Headers[TunnelHandshakeRejectedException.ReasonHeader] = Uri.EscapeDataString(reason);
            await context.Response.WriteAsync(reason, context.RequestAborted);
            return;
        }

        var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
        var session = new TunnelSession(webSocket, TunnelRole.Server, options.Tunnel, options.StreamHandler, timeProvider, logger) { Identity = auth.Identity };
        session.Start();
        if (options.Registry.Register(session, logger) is { } replaced)
        {
            _ = replaced.DisposeAsync().AsTask();
        }

        using var aborted = context.RequestAborted.Register(() => session.Abort(new TunnelSessionClosedException("the HTTP connection was aborted")));
        using var shutdown = stopping.Register(() => _ = ShutdownAsync(session, options.Tunnel.ShutdownTimeout, timeProvider));
        try
        {
            await session.Completion;
        }
        catch (Exception)
        {
            // Logged by the session; the registry and the HTTP request just end.
        }
        finally
        {
            options.Registry.Remove(session);
        }
    }

    private static async Task ShutdownAsync(TunnelSession session, TimeSpan drain, TimeProvider timeProvider)
    {
        using var deadline = new CancellationTokenSource(drain, timeProvider);
        await session.ShutdownAsync("the server is stopping", deadline.Token);
    }
}
