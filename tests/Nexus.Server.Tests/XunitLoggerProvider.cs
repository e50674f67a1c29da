using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Nexus.Server.Tests;

/// <summary>Writes log lines from a level up to the running test's output, so a failure shows what DTFx said.</summary>
public sealed class XunitLoggerProvider(ITestOutputHelper output, LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new XunitLogger(output, minimum, categoryName);

    public void Dispose()
    {
    }

    private sealed class XunitLogger(ITestOutputHelper output, LogLevel minimum, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                var message = formatter(state, exception);
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {message} {exception}");
            }
            catch (InvalidOperationException)
            {
                // DTFx's background loops keep logging after the test that owns this output has ended.
            }
        }
    }
}
