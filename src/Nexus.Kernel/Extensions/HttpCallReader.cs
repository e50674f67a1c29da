using System.Text.Json;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>Reads the arguments of an <c>http</c> method into an <see cref="HttpCall"/>.</summary>
internal static class HttpCallReader
{
    /// <exception cref="ExtensionException">The method is unknown or its arguments are malformed.</exception>
    public static HttpCall Read(string method, JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"http.{method} expects its arguments as a JSON array");
        }
        return method switch
        {
            "get" or "delete" or "head" or "options" => WithoutBody(method, args),
            "post" or "put" or "patch" => WithBody(method, args),
            "request" => FromConfig(Arg(args, 0)),
            _ => throw new ExtensionException(
                ErrorCodes.MethodNotFound, $"Method '{method}' not found on extension 'http'"),
        };
    }

    private static HttpCall WithoutBody(string method, JsonElement args)
    {
        var options = Options(method, Arg(args, 1));
        return new HttpCall(HttpMethod.Parse(method), Url(method, Arg(args, 0)), null,
            Headers(method, options), Timeout(method, options));
    }

    private static HttpCall WithBody(string method, JsonElement args)
    {
        var options = Options(method, Arg(args, 2));
        return new HttpCall(HttpMethod.Parse(method), Url(method, Arg(args, 0)), Arg(args, 1),
            Headers(method, options), Timeout(method, options));
    }

    private static HttpCall FromConfig(JsonElement? config)
    {
        if (config is not { ValueKind: JsonValueKind.Object } c)
        {
            throw Invalid("http.request expects a config object {url, method?, body?, headers?, timeout?}");
        }
        return new HttpCall(Method(Property(c, "method")), Url("request", Property(c, "url")), Property(c, "body"),
            Headers("request", c), Timeout("request", c));
    }

    private static string Url(string method, JsonElement? url) =>
        url is { ValueKind: JsonValueKind.String } u
            ? u.GetString()!
            : throw Invalid($"http.{method} expects the URL as a string");

    private static HttpMethod Method(JsonElement? method)
    {
        if (method is null)
        {
            return HttpMethod.Get;
        }
        if (method.Value.ValueKind != JsonValueKind.String)
        {
            throw Invalid("http.request expects method to be a string");
        }
        var name = method.Value.GetString()!;
        try
        {
            return HttpMethod.Parse(name.ToUpperInvariant());
        }
        catch (FormatException)
        {
            throw Invalid($"Invalid HTTP method '{name}'");
        }
    }

    private static JsonElement? Options(string method, JsonElement? options) => options switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } => options,
        _ => throw Invalid($"http.{method} expects options to be an object {{headers?, timeout?}}"),
    };

    private static List<KeyValuePair<string, string>> Headers(string method, JsonElement? options)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (options is not { } o || Property(o, "headers") is not { } h)
        {
            return headers;
        }
        if (h.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"http.{method} expects headers to be an object of names to values");
        }
        foreach (var header in h.EnumerateObject())
        {
            var value = header.Value.ValueKind switch
            {
                JsonValueKind.String => header.Value.GetString()!,
                // fetch turns numbers and booleans into their text, so handlers written for it keep working.
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => header.Value.GetRawText(),
                _ => throw Invalid($"http.{method} expects header '{header.Name}' to be a string"),
            };
            headers.Add(new(header.Name, value));
        }
        return headers;
    }

    private static int? Timeout(string method, JsonElement? options)
    {
        if (options is not { } o || Property(o, "timeout") is not { } t)
        {
            return null;
        }
        return t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var ms) && ms > 0
            ? ms
            : throw Invalid($"http.{method} expects timeout to be a positive whole number of milliseconds");
    }

    // JSON null stands for undefined: the sandbox serialises an undefined argument or property as null.
    private static JsonElement? Arg(JsonElement args, int index) =>
        index < args.GetArrayLength() && args[index].ValueKind != JsonValueKind.Null ? args[index] : null;

    private static JsonElement? Property(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static ExtensionException Invalid(string message) => new(ErrorCodes.ExtensionError, message);
}
