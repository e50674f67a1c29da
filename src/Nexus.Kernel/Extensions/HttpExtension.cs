using System.Net;
using System.Text.Json;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>
/// The built-in <c>http</c> extension: outbound HTTP for handlers, behind a domain allow-list, a guard against
/// reaching private addresses, and limits on concurrency, time, redirects and response size.
/// </summary>
/// <remarks>
/// Failures throw <see cref="ExtensionException"/> with <see cref="ErrorCodes.ExtensionError"/>, or
/// <see cref="ErrorCodes.ExtensionTimeout"/> when the timeout expires. Non-2xx responses are results, not failures.
/// </remarks>
public sealed class HttpExtension : IExtension, IDisposable
{
    private readonly HttpExtensionOptions _options;
    private readonly UrlPolicy _urls;
    private readonly ConcurrencyGate _gate;
    private readonly HttpMessageInvoker _invoker;
    private readonly RedirectingSender _sender;

    public HttpExtension(HttpExtensionOptions? options = null)
        : this(options ?? new HttpExtensionOptions(), Dns.GetHostAddressesAsync)
    {
    }

    // resolve turns host names into addresses: DNS, or a stand-in for tests.
    internal HttpExtension(HttpExtensionOptions options, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var allowList = new DomainAllowList(options.AllowedDomains);
        _urls = new UrlPolicy(allowList);
        _gate = new ConcurrencyGate(options.MaxConcurrent, options.MaxQueued);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Through a proxy the guard would check the proxy's address, not the target's.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            // Connection attempts can outlive the request that started them; this bounds them.
            ConnectTimeout = TimeSpan.FromMilliseconds(options.DefaultTimeoutMs),
            // Pooled connections keep the addresses they were checked with; let DNS changes take effect.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = new GuardedConnector(allowList, options.BlockPrivateAddresses, resolve).ConnectAsync,
        };
        _invoker = new HttpMessageInvoker(handler);
        _sender = new RedirectingSender(_invoker, _urls, options.MaxRedirects);
    }

    public string Name => "http";

    public IReadOnlyCollection<string> Methods => ExtensionCatalog.HttpMethods;

    public async Task<JsonElement> CallAsync(string method, JsonElement args, CancellationToken ct)
    {
        var call = HttpCallReader.Read(method, args);
        var url = _urls.Parse(call.Url);
        var timeoutMs = call.TimeoutMs ?? _options.DefaultTimeoutMs;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeoutMs);
        try
        {
            return await _gate.RunAsync(token => SendAsync(call, url, token), deadline.Token);
        }
        catch (Exception ex) when (ex is not ExtensionException
            && deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new ExtensionException(ErrorCodes.ExtensionTimeout, $"Request timeout after {timeoutMs}ms", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The connect guard's refusals arrive wrapped by the handler; the handler should see them as they are.
            for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is ExtensionException refusal)
                {
                    throw refusal;
                }
            }
            throw new ExtensionException(
                ErrorCodes.ExtensionError, $"{call.Method} {url} failed: {ex.Message}", ex);
        }
    }

    public void Dispose() => _invoker.Dispose();

    private async Task<JsonElement> SendAsync(HttpCall call, Uri url, CancellationToken ct)
    {
        var (response, finalUrl) = await _sender.SendAsync(call, url, ct);
        using (response)
        {
            return await HttpResponseReader.ReadAsync(response, finalUrl, _options.MaxResponseBytes, ct);
        }
    }
}
