using Nexus.Kernel.Execution;

namespace Nexus.Sandbox.Runtime;

/// <summary>Thrown by a host call to end the run at once, whatever the handler catches.</summary>
internal sealed class RunAbortedException(ExecutionError error) : Exception(error.Message)
{
    public ExecutionError Error { get; } = error;
}
