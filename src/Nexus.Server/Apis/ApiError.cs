using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nexus.Kernel.Json;

namespace Nexus.Server.Apis;

/// <summary>An API failure as clients see it: <c>{error: {code, message, details?}}</c> with an HTTP status.</summary>
public sealed record ApiError(int Status, string Code, string Message, object? Details = null)
{
    public static ApiError NotFound(string code, string message) => new(StatusCodes.Status404NotFound, code, message);
    public static ApiError BadRequest(string code, string message, object? details = null) =>
        new(StatusCodes.Status400BadRequest, code, message, details);

    /// <summary>Writes the error as the response.</summary>
    public IResult ToResult() => Results.Json(
        new { error = new { code = Code, message = Message, details = Details } }, NexusJson.Options, statusCode: Status);

    /// <summary>Writes the error straight to a response (for middleware).</summary>
    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        return response.WriteAsync(JsonSerializer.Serialize(
            new { error = new { code = Code, message = Message, details = Details } }, NexusJson.Options));
    }
}

/// <summary>A value or the reason there is none.</summary>
public readonly record struct Outcome<T>(T? Value, ApiError? Error)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(ApiError error) => new(default, error);
}
