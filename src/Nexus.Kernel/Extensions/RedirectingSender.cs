using System.Net;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>Sends an <see cref="HttpCall"/>, following redirects itself so that every hop passes the policy.</summary>
internal sealed class RedirectingSender(HttpMessageInvoker invoker, UrlPolicy policy, int maxRedirects)
{
    /// <summary>Sends the call; returns the final response (body not yet read) and the URL it came from.</summary>
    /// <exception cref="ExtensionException">A redirect is not allowed, or there are too many.</exception>
    public async Task<(HttpResponseMessage Response, Uri Url)> SendAsync(HttpCall call, Uri url, CancellationToken ct)
    {
        var method = call.Method;
        var withBody = call.Body is not null;
        var withCredentials = true;
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var request = HttpRequestBuilder.Build(call, method, current, withBody, withCredentials);
            var response = await invoker.SendAsync(request, ct);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return (response, current);
            }
            response.Dispose();
            if (redirects == maxRedirects)
            {
                throw new ExtensionException(ErrorCodes.ExtensionError,
                    $"Too many redirects: {url} redirected more than {maxRedirects} times");
            }
            var next = new Uri(current, location);
            policy.Check(next);
            if (ChangesToGet(response.StatusCode, method))
            {
                method = HttpMethod.Get;
                withBody = false;
            }
            withCredentials &= SameOrigin(current, next);
            current = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
        or HttpStatusCode.PermanentRedirect;

    // As fetch does: 303 turns anything but HEAD into GET, 301 and 302 turn POST into GET; 307 and 308 keep both.
    private static bool ChangesToGet(HttpStatusCode status, HttpMethod method) =>
        status == HttpStatusCode.SeeOther
            ? method != HttpMethod.Get && method != HttpMethod.Head
            : status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found && method == HttpMethod.Post;

    private static bool SameOrigin(Uri a, Uri b) => Uri.Compare(a, b, UriComponents.SchemeAndServer,
        UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
