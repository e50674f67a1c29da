using Nexus.Server.Configuration;
using Nexus.Server.Hosting;

NexusServerOptions options;
try
{
    options = NexusServerOptionsLoader.Load(EnvironmentReader.Process);
}
catch (ConfigurationException ex)
{
    Console.Error.WriteLine($"nexus-server: {ex.Message}");
    return 2;
}
var app = WebApplication.CreateSlimBuilder(args).AddNexusServer(options).Build().UseNexusServer();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;
