using System.Diagnostics;
using System.Text;

namespace Nexus.Server.Tests;

/// <summary>Runs Nexus.Server as a separate process on a free port, so that a test can kill it as a crash would.</summary>
/// <remarks>
/// The server's dll is copied next to the test assembly (it is a project reference), with its runtimeconfig, so
/// <c>dotnet Nexus.Server.dll</c> runs the build under test.
/// </remarks>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Where the server listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for the server's API.</summary>
    public HttpClient Client { get; }

    /// <summary>What the server wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server with <paramref name="environment"/> on a free port; returns once /health answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = AzuriteFixture.FreePorts(1)[0];
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nexus.Server.dll"));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["HTTP_PORT"] = port.ToString();

        var server = new ServerProcess(new Process { StartInfo = start }, new Uri($"http://127.0.0.1:{port}/"));
        server._process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>SIGKILL to the server's process tree: nothing is flushed, no lease released, no work item finished.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>Kills the server (if still running); later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await KillAsync();
        _process.Dispose();
        Client.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The server exited with code {_process.ExitCode} while starting. Its output:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await Client.GetAsync(new Uri("health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the durable host starts before Kestrel binds.
            }
            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException(
                    $"The server did not answer /health within {StartTimeout.TotalSeconds} s. Its output:{Environment.NewLine}{Output}");
            }
            await Task.Delay(100);
        }
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    // `dotnet test` tells its children where the host is; outside it, the dotnet on PATH.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
}
