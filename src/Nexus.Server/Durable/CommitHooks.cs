namespace Nexus.Server.Durable;

/// <summary>Callbacks for when a work item of an instance is durably completed, or abandoned.</summary>
public sealed record CommitHooks(Action<string> Committed, Action<string> Abandoned);
