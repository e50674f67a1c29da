using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Nexus.Server.Tests;

/// <summary>Runs the npm Azurite storage emulator on free loopback ports for the tests that share it.</summary>
/// <remarks>
/// Data lives in a temporary folder, so a stop (or kill) and a start keep it, except what was written in the last
/// <see cref="SaveInterval"/>; <see cref="InMemoryAzuriteFixture"/> keeps nothing across a restart. Give every test
/// its own task hub so that tests never see each other's messages.
/// </remarks>
public class AzuriteFixture : IAsyncLifetime
{
    // Azurite's single well-known development account; the key is public and fixed.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Azurite writes its databases (LokiJS) to disk this often: a kill loses the writes since.</summary>
    /// <remarks>A stop is no safer: Azurite can ignore SIGTERM once clients connected, and then gets SIGKILL.</remarks>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(1);

    private readonly bool _inMemory;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory =
        Path.Combine(Path.GetTempPath(), "nexus-azurite-" + Guid.NewGuid().ToString("N"));
    private Process? _process;
    private (int Blob, int Queue, int Table) _ports;

    public AzuriteFixture() : this(inMemory: false)
    {
    }

    protected AzuriteFixture(bool inMemory) => _inMemory = inMemory;

    /// <summary>A connection string with explicit endpoints for this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{_ports.Blob}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{_ports.Queue}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{_ports.Table}/{AccountName};";

    /// <summary>Whether the Azurite process is alive.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A fresh task hub name: Azure Storage wants letters and digits, starting with a letter.</summary>
    public static string NewTaskHubName() => "t" + Guid.NewGuid().ToString("N")[..15];

    async Task IAsyncLifetime.InitializeAsync()
    {
        var ports = FreePorts(3);
        _ports = (ports[0], ports[1], ports[2]);
        Directory.CreateDirectory(_dataDirectory);
        await StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the run over it is not.
        }
    }

    /// <summary>Starts Azurite on this fixture's ports and data; returns once every port accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Azurite is already running.");
        }

        var start = new ProcessStartInfo(FindAzurite())
        {
            WorkingDirectory = _dataDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, port) in new[] { ("blob", _ports.Blob), ("queue", _ports.Queue), ("table", _ports.Table) })
        {
            start.ArgumentList.Add($"--{name}Host");
            start.ArgumentList.Add("127.0.0.1");
            start.ArgumentList.Add($"--{name}Port");
            start.ArgumentList.Add(port.ToString());
        }

        // The storage clients speak newer API versions than Azurite accepts; telemetry would call out of the machine.
        string[] flags = ["--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry"];
        foreach (var flag in flags)
        {
            start.ArgumentList.Add(flag);
        }

        if (_inMemory)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_dataDirectory);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilListeningAsync(process);
    }

    /// <summary>Ends Azurite: SIGTERM first, SIGKILL to the whole tree if it is still alive a moment later.</summary>
    public Task StopAsync() => EndAsync(graceful: true);

    /// <summary>Ends Azurite with SIGKILL at once, as a crash would.</summary>
    public Task KillAsync() => EndAsync(graceful: false);

    /// <summary>Stops and starts Azurite on the same ports; data on disk survives, in-memory data does not.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    private async Task EndAsync(bool graceful)
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        using (process)
        {
            if (process.HasExited)
            {
                return;
            }

            if (graceful && !OperatingSystem.IsWindows() && Posix.kill(process.Id, Posix.SigTerm) == 0)
            {
                using var grace = new CancellationTokenSource(TermGrace);
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                    return;
                }
                catch (OperationCanceledException)
                {
                    // Azurite often ignores SIGTERM once clients have connected: fall through to SIGKILL.
                }
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private async Task WaitUntilListeningAsync(Process process)
    {
        var clock = Stopwatch.StartNew();
        foreach (var port in new[] { _ports.Blob, _ports.Queue, _ports.Table })
        {
            while (!await AcceptsAsync(port))
            {
                if (process.HasExited || clock.Elapsed > StartTimeout)
                {
                    await EndAsync(graceful: false);
                    throw new InvalidOperationException(
                        $"Azurite did not start listening on port {port} within {StartTimeout.TotalSeconds} s. " +
                        $"Its output:{Environment.NewLine}{CapturedOutput()}");
                }

                await Task.Delay(50);
            }
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
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

    private string CapturedOutput()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    // The listeners stay open until all ports are chosen, so the system cannot hand out the same port twice.
    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            return listeners.Select(l => { l.Start(); return ((IPEndPoint)l.LocalEndpoint).Port; }).ToArray();
        }
        finally
        {
            Array.ForEach(listeners, l => l.Dispose());
        }
    }

    // The repository root is the folder with package.json above the test assembly; npm installs Azurite below it.
    private static string FindAzurite()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")))
            {
                var script = OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite";
                var azurite = Path.Combine(dir.FullName, "node_modules", ".bin", script);
                return File.Exists(azurite)
                    ? azurite
                    : throw new InvalidOperationException(
                        $"Azurite is not installed ({azurite} is missing). Run scripts/setup.sh (it runs npm ci).");
            }
        }

        throw new InvalidOperationException(
            $"No package.json above {AppContext.BaseDirectory}: run the tests from the repository's build output.");
    }

    private static class Posix
    {
        public const int SigTerm = 15;

        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);
    }
}

/// <summary>Azurite keeping everything in memory: faster, but a restart loses all data.</summary>
public sealed class InMemoryAzuriteFixture() : AzuriteFixture(inMemory: true);

/// <summary>Tests in this collection share one Azurite process (each still uses its own task hub).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
