using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>Builds the message sent for one hop of an <see cref="HttpCall"/>: headers, user agent and body.</summary>
internal static class HttpRequestBuilder
{
    private const string UserAgent = "Nexus-Runtime/1.0";

    // Escaping only what JSON requires keeps bodies as a JavaScript caller would send them.
    private static readonly JsonSerializerOptions s_compact =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] s_credentialHeaders = ["Authorization", "Cookie", "Proxy-Authorization"];

    /// <summary>
    /// Builds the message to <paramref name="url"/>. A redirect to GET sends no body (<paramref name="withBody"/>),
    /// a redirect to another origin no credential headers (<paramref name="withCredentials"/>).
    /// </summary>
    /// <exception cref="ExtensionException">A header name is invalid.</exception>
    public static HttpRequestMessage Build(
        HttpCall call, HttpMethod method, Uri url, bool withBody, bool withCredentials)
    {
        var request = new HttpRequestMessage(method, url);
        var body = withBody && call.Body is { } b ? b : (JsonElement?)null;
        var content = new ByteArrayContent(body is { } payload ? Encode(payload) : []);
        foreach (var (name, value) in call.Headers)
        {
            if (!withCredentials && s_credentialHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, value)
                && !content.Headers.TryAddWithoutValidation(name, value))
            {
                content.Dispose();
                request.Dispose();
                throw new ExtensionException(ErrorCodes.ExtensionError, $"Invalid header name '{name}'");
            }
        }
        if (!request.Headers.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        }
        if (body is { } sent)
        {
            if (!content.Headers.Contains("Content-Type"))
            {
                content.Headers.TryAddWithoutValidation("Content-Type",
                    sent.ValueKind == JsonValueKind.String ? "text/plain; charset=utf-8" : "application/json");
            }
            request.Content = content;
        }
        else
        {
            // Content headers describe a body; without one they are not sent.
            content.Dispose();
        }
        return request;
    }

    // Strings go as they are; anything else as compact JSON, like JSON.stringify.
    private static byte[] Encode(JsonElement body) => body.ValueKind == JsonValueKind.String
        ? Encoding.UTF8.GetBytes(body.GetString()!)
        : JsonSerializer.SerializeToUtf8Bytes(body, s_compact);
}
