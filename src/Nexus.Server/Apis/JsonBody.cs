using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nexus.Kernel.Json;

namespace Nexus.Server.Apis;

/// <summary>Reads a request's JSON body within <c>BODY_LIMIT</c>: 413 when larger, 415 when not JSON, 400 when malformed.</summary>
public static class JsonBody
{
    public static async Task<Outcome<JsonElement?>> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength is > 0 && request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return new Outcome<JsonElement?>(null, null);
        }
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return new ApiError(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                $"Send the body as JSON (Content-Type: application/json), not '{type}'.");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return TooLarge(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return new Outcome<JsonElement?>(null, null);
        }
        try
        {
            return new Outcome<JsonElement?>(NexusJson.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)), null);
        }
        catch (JsonException ex)
        {
            return ApiError.BadRequest("MALFORMED_JSON", $"The request body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Reads a body that must be a JSON object of type <typeparamref name="T"/>.</summary>
    public static async Task<Outcome<T>> ReadObjectAsync<T>(HttpRequest request, long limit, CancellationToken ct)
        where T : class
    {
        var body = await ReadAsync(request, limit, ct);
        if (body.Error is { } error)
        {
            return error;
        }
        if (body.Value is not { ValueKind: JsonValueKind.Object } json)
        {
            return ApiError.BadRequest("INVALID_BODY", "The request body must be a JSON object.");
        }
        try
        {
            return json.Deserialize<T>(NexusJson.Options)!;
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) ? "" : $" at {ex.Path.TrimStart('$', '.')}";
            return ApiError.BadRequest("INVALID_BODY", $"The request body has a value of the wrong type{path}.",
                new[] { new { path = ex.Path?.TrimStart('$', '.') ?? "", message = ex.Message } });
        }
    }

    private static ApiError TooLarge(long limit) => new(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE",
        $"The request body is larger than BODY_LIMIT ({limit} bytes).");
}
