namespace Nexus.Cli;

/// <summary>The command was well formed but did not succeed (a server error, an unreachable server): exit code 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
