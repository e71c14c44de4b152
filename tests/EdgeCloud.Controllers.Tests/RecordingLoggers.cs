using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers.Tests;

/// <summary>Keeps every warning and error the controllers log, so that a failing test can show them.</summary>
public sealed class RecordingLoggers : ILoggerFactory
{
    public ConcurrentQueue<string> Problems { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggers owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Problems.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
