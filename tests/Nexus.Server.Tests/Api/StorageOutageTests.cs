using System.Net;

namespace Nexus.Server.Tests.Api;

/// <summary>A server of its own, whose storage the test takes away.</summary>
public sealed class StorageOutageFixture : NexusServerFixture;

public sealed class StorageOutageTests(StorageOutageFixture server) : IClassFixture<StorageOutageFixture>
{
    [Fact]
    public async Task Health_StorageUnreachable_IsUnhealthyWith503()
    {
        var before = await server.Client.GetAsync("/health");
        await server.StopStorageAsync();

        var after = await server.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        var body = await NexusServerFixture.ReadAsync(after);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("unreachable", body.GetProperty("storage").GetString());
    }
}
