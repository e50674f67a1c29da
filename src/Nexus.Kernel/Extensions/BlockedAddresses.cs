using System.Net;

namespace Nexus.Kernel.Extensions;

/// <summary>The address ranges handlers may not reach by default: this host and the networks around it.</summary>
internal static class BlockedAddresses
{
    private static readonly (IPNetwork Network, string Kind)[] s_ranges =
    [
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        // Includes the cloud metadata endpoint 169.254.169.254.
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        // Connecting to 0.x.x.x reaches this host on Linux.
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
    ];

    /// <summary>The blocked range <paramref name="address"/> is in (e.g. "loopback"), or null if none.</summary>
    public static string? Describe(IPAddress address)
    {
        // A dual-stack socket reaches ::ffff:10.0.0.1 at 10.0.0.1.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var (network, kind) in s_ranges)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }
        return null;
    }
}
