using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Handlers;

/// <summary>What reading a handler's source tells: whether it parses, and which capabilities it visibly uses.</summary>
public sealed record HandlerAnalysis(ExecutionError? SyntaxError, CapabilitySet InferredCapabilities)
{
    /// <summary>True when the source parses as an async function body.</summary>
    public bool IsValid => SyntaxError is null;
}
