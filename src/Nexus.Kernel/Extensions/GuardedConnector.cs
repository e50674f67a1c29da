using System.Net;
using System.Net.Sockets;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>
/// Opens the TCP connections of the <c>http</c> extension, refusing blocked addresses. Resolving and checking here,
/// then connecting to exactly the checked addresses, leaves no gap for DNS rebinding between check and connect.
/// </summary>
internal sealed class GuardedConnector(
    DomainAllowList allowList,
    bool blockPrivateAddresses,
    Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        // IPv6 literals arrive bracketed, as they are written in URLs.
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolve(host, ct);
        if (addresses.Length == 0)
        {
            throw new ExtensionException(ErrorCodes.ExtensionError, $"Host {host} did not resolve to any address");
        }
        if (blockPrivateAddresses && !allowList.ListsExactly(host))
        {
            foreach (var address in addresses)
            {
                if (BlockedAddresses.Describe(address) is { } kind)
                {
                    var target = host == address.ToString() ? host : $"{host} ({address})";
                    throw new ExtensionException(ErrorCodes.ExtensionError,
                        $"Request to {target} refused: {kind} addresses are blocked; " +
                        "add the host to HTTP_ALLOWED_DOMAINS to allow it");
                }
            }
        }
        return await ConnectToAnyAsync(addresses, context.DnsEndPoint.Port, ct);
    }

    private static async Task<Stream> ConnectToAnyAsync(IPAddress[] addresses, int port, CancellationToken ct)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            // A socket whose connect failed cannot be reused on Linux, so each address gets its own.
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
