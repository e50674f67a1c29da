using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>Decides, before anything is sent, whether a URL may be requested: http(s) and an allowed host.</summary>
internal sealed class UrlPolicy(DomainAllowList allowList)
{
    /// <summary>Parses <paramref name="url"/> and checks it.</summary>
    /// <exception cref="ExtensionException">The URL is invalid or not allowed.</exception>
    public Uri Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ExtensionException(ErrorCodes.ExtensionError, $"Invalid URL '{url}'");
        }
        Check(uri);
        return uri;
    }

    /// <summary>Checks a URL: the first request's or a redirect's.</summary>
    /// <exception cref="ExtensionException">The URL is not allowed.</exception>
    public void Check(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ExtensionException(
                ErrorCodes.ExtensionError, $"URL scheme '{uri.Scheme}' is not allowed; only http and https are");
        }
        if (!allowList.Permits(uri.IdnHost))
        {
            throw new ExtensionException(ErrorCodes.ExtensionError,
                $"Domain {uri.IdnHost} is not in the allowed list; add it to HTTP_ALLOWED_DOMAINS to allow it");
        }
    }
}
