using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nexus.Benchmarks;

/// <summary>The npm Azurite emulator in memory on free loopback ports, for the server benchmark.</summary>
internal sealed class AzuriteProcess : IDisposable
{
    // Azurite's single well-known development account; the key is public and fixed.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private AzuriteProcess(Process process, string directory, int[] ports)
    {
        _process = process;
        _directory = directory;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/{Account};QueueEndpoint=http://127.0.0.1:{ports[1]}/{Account};" +
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/{Account};";
    }

    public string ConnectionString { get; }

    /// <summary>Starts Azurite and returns once its three ports accept connections.</summary>
    public static async Task<AzuriteProcess> StartAsync()
    {
        var ports = Ports.Free(3);
        // In memory (Azurite refuses --location with it); the temporary working folder catches anything it writes.
        var directory = Directory.CreateTempSubdirectory("nexus-bench-azurite-").FullName;
        var start = new ProcessStartInfo(FindAzurite())
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] args =
        [
            "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
            "--inMemoryPersistence",
            // The storage clients speak newer API versions than Azurite accepts; telemetry would call out of the machine.
            "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var azurite = new AzuriteProcess(new Process { StartInfo = start }, directory, ports);
        // Its start-up banner would break the report's table; kept only to explain a failed start.
        azurite._process.OutputDataReceived += (_, e) => azurite.Capture(e.Data);
        azurite._process.ErrorDataReceived += (_, e) => azurite.Capture(e.Data);
        azurite._process.Start();
        azurite._process.BeginOutputReadLine();
        azurite._process.BeginErrorReadLine();
        try
        {
            foreach (var port in ports)
            {
                await azurite.WaitForPortAsync(port);
            }
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
        return azurite;
    }

    /// <summary>Kills Azurite (by its pid, with its child processes) and removes its folder.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitForPortAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    lock (_output)
                    {
                        throw new InvalidOperationException($"Azurite did not listen on port {port}. Its output:\n{_output}");
                    }
                }
                await Task.Delay(50);
            }
        }
    }

    private void Capture(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // npm installs Azurite below the repository root, the folder with package.json above the build output.
    private static string FindAzurite()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var azurite = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite");
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(azurite))
            {
                return azurite;
            }
        }
        throw new InvalidOperationException("node_modules/.bin/azurite not found above the build output; run scripts/setup.sh.");
    }
}

/// <summary>Free loopback ports.</summary>
internal static class Ports
{
    // The listeners stay open until all ports are chosen, so the system cannot hand out the same port twice.
    public static int[] Free(int count)
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
}
