namespace Nexus.Cli.Tests;

/// <summary>The server tests' real Nexus server, answering 202 as soon as a run suspends.</summary>
public sealed class NexusServerFixture : Nexus.Server.Tests.Api.NexusServerFixture
{
    protected override void Configure(Dictionary<string, string> environment)
    {
        // So that trigger --wait always has a run to follow.
        environment["TRIGGER_WAIT_MS"] = "0";
    }
}
