using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nexus.Kernel.Tests.Extensions;

/// <summary>A minimal HTTP/1.1 server on 127.0.0.1: one request per connection, answered by a test handler.</summary>
/// <remarks>Raw sockets, so tests control every byte: stalled bodies, repeated headers, odd status lines.</remarks>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Func<TestExchange, Task> _handler;
    private readonly Task _accepting;

    public TestHttpServer(Func<TestExchange, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<TestRequest> Requests { get; } = new();

    public string Url(string path = "/") => $"http://127.0.0.1:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        await _accepting;
        try
        {
            await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A handler still blocked must not hang the test run; its socket dies with the process.
        }
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                _connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await TestRequest.ReadAsync(stream, _stopping.Token);
                Requests.Enqueue(request);
                await _handler(new TestExchange(request, stream, _stopping.Token));
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException)
            {
                // The client gave up (timeouts, size limits) or the server is stopping.
            }
        }
    }
}

/// <summary>A request as the test server received it.</summary>
internal sealed record TestRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public static async Task<TestRequest> ReadAsync(Stream stream, CancellationToken ct)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                throw new EndOfStreamException();
            }
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            headers[name] = headers.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
        }
        var body = new byte[headers.TryGetValue("Content-Length", out var length) ? int.Parse(length) : 0];
        await stream.ReadExactlyAsync(body, ct);
        return new TestRequest(requestLine[0], requestLine[1], headers, body);
    }
}

/// <summary>One request and the connection to answer it on.</summary>
internal sealed class TestExchange(TestRequest request, Stream stream, CancellationToken stopping)
{
    public TestRequest Request => request;

    /// <summary>Cancelled when the server stops; handlers that wait should wait on it.</summary>
    public CancellationToken Stopping => stopping;

    /// <summary>Answers with <paramref name="status"/> (e.g. "200 OK"), the body and extra header lines.</summary>
    public async Task RespondAsync(string status, string body = "", params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status}\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }
        head.Append($"Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
        await WriteAsync(head.ToString());
        if (request.Method != "HEAD")
        {
            await stream.WriteAsync(bytes, stopping);
        }
    }

    /// <summary>Writes raw bytes of the response, flushed so the client sees them at once.</summary>
    public async Task WriteAsync(string raw)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(raw), stopping);
        await stream.FlushAsync(stopping);
    }
}
