using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Json;

namespace Nexus.Kernel.Extensions;

/// <summary>
/// Turns a response into the handler's result <c>{status, statusText, headers, data, ok}</c>, reading no more of
/// the body than allowed.
/// </summary>
internal static class HttpResponseReader
{
    /// <exception cref="ExtensionException">The body is too large, or is declared JSON but is not.</exception>
    public static async Task<JsonElement> ReadAsync(
        HttpResponseMessage response, Uri url, long maxBytes, CancellationToken ct)
    {
        var body = await ReadBodyAsync(response.Content, url, maxBytes, ct);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", (int)response.StatusCode);
            writer.WriteString("statusText", response.ReasonPhrase ?? "");
            writer.WriteStartObject("headers");
            foreach (var (name, value) in Headers(response))
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
            writer.WritePropertyName("data");
            WriteData(writer, response.Content.Headers.ContentType, body, url);
            writer.WriteBoolean("ok", response.IsSuccessStatusCode);
            writer.WriteEndObject();
        }
        return NexusJson.Parse(buffer.WrittenSpan);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContent content, Uri url, long maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(url, maxBytes);
        }
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                throw TooLarge(url, maxBytes);
            }
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }

    private static SortedDictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            // HeaderStringValues joins repeated values with ", ", as fetch's Headers does.
            headers[name.ToLowerInvariant()] = values.ToString();
        }
        return headers;
    }

    private static void WriteData(Utf8JsonWriter writer, MediaTypeHeaderValue? type, byte[] body, Uri url)
    {
        if (type?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            writer.WriteStringValue(Decode(body, type?.CharSet));
            return;
        }
        var json = body.AsMemory();
        if (json.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }
        // A bodiless JSON response (HEAD, 204) has no value rather than a broken one.
        if (json.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }
        try
        {
            // JsonDocument, unlike reading a single value, also rejects anything after the value.
            using var document = JsonDocument.Parse(json);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException ex)
        {
            throw new ExtensionException(
                ErrorCodes.ExtensionError, $"Response from {url} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string Decode(byte[] body, string? charset)
    {
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrWhiteSpace(charset))
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset is read as UTF-8, the web's default, rather than failing the request.
            }
        }
        return encoding.GetString(body);
    }

    private static ExtensionException TooLarge(Uri url, long maxBytes) => new(ErrorCodes.ExtensionError,
        $"Response from {url} exceeds the response size limit of {maxBytes} bytes");
}
