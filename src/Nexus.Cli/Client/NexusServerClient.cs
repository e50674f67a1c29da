using System.Text;
using System.Text.Json;
using Nexus.Kernel.Json;

namespace Nexus.Cli.Client;

/// <summary>A small typed client of the Nexus server's panel API; every failure becomes a <see cref="CommandFailedException"/>.</summary>
internal sealed class NexusServerClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;

    public NexusServerClient(Uri server)
    {
        _server = server.OriginalString;
        // Without a trailing slash, relative routes would replace the last segment of a base path such as /nexus.
        _http = new HttpClient { BaseAddress = new Uri(server.AbsoluteUri.TrimEnd('/') + "/") };
    }

    public Task<ServerAnswer> CreatePanelAsync(JsonElement definition) => SendAsync(HttpMethod.Post, "panels", definition);

    public Task<ServerAnswer> ListPanelsAsync(int? top, string? continuation)
    {
        var query = new List<string>();
        if (top is { } n)
        {
            query.Add($"top={n}");
        }
        if (continuation is not null)
        {
            query.Add($"continuation={Uri.EscapeDataString(continuation)}");
        }
        return SendAsync(HttpMethod.Get, query.Count == 0 ? "panels" : $"panels?{string.Join('&', query)}");
    }

    public Task<ServerAnswer> GetPanelAsync(string id) => SendAsync(HttpMethod.Get, Panel(id));

    public Task<ServerAnswer> GetStateAsync(string id) => SendAsync(HttpMethod.Get, $"{Panel(id)}/state");

    public Task<ServerAnswer> DeletePanelAsync(string id) => SendAsync(HttpMethod.Delete, Panel(id));

    public Task<ServerAnswer> TriggerAsync(string id, string tool, JsonElement? args) =>
        SendAsync(HttpMethod.Post, $"{Panel(id)}/trigger/{Uri.EscapeDataString(tool)}", args);

    /// <summary>Reads a run's status at the <c>Location</c> of a 202 trigger answer.</summary>
    public Task<ServerAnswer> GetRunAsync(Uri location) => SendAsync(HttpMethod.Get, location.OriginalString);

    public void Dispose() => _http.Dispose();

    private static string Panel(string id) => $"panels/{Uri.EscapeDataString(id)}";

    private async Task<ServerAnswer> SendAsync(HttpMethod method, string route, JsonElement? body = null)
    {
        using var request = new HttpRequestMessage(method, route);
        if (body is { } json)
        {
            request.Content = new StringContent(json.GetRawText(), Encoding.UTF8, "application/json");
        }
        using var response = await TransmitAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new CommandFailedException(ErrorMessage(response, text));
        }
        return new ServerAnswer(text.Length == 0 ? null : ParseBody(text), response.Headers.Location);
    }

    private async Task<HttpResponseMessage> TransmitAsync(HttpRequestMessage request)
    {
        try
        {
            return await _http.SendAsync(request);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CommandFailedException(
                $"cannot reach the Nexus server at {_server} (is it running? start it with scripts/run.sh)");
        }
        catch (HttpRequestException ex)
        {
            throw new CommandFailedException($"cannot reach the Nexus server at {_server}: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new CommandFailedException(
                $"the Nexus server at {_server} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    private JsonElement ParseBody(string text)
    {
        try
        {
            return NexusJson.Parse(text);
        }
        catch (JsonException)
        {
            throw new CommandFailedException($"{_server} did not answer with JSON; is it a Nexus server?");
        }
    }

    private static string ErrorMessage(HttpResponseMessage response, string text)
    {
        var status = $"HTTP {(int)response.StatusCode}";
        try
        {
            if (JsonSerializer.Deserialize<ErrorAnswer>(text, NexusJson.Options) is { Error: { Message: { } message, Code: var code } })
            {
                return $"{message} ({code}, {status})";
            }
        }
        catch (JsonException)
        {
            // Not the Nexus error shape (a proxy's error page, say): the status is all there is to report.
        }
        return $"the server answered {status} {response.ReasonPhrase}";
    }
}
