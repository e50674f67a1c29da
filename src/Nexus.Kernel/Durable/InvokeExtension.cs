using Microsoft.DurableTask;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;

namespace Nexus.Kernel.Durable;

/// <summary>Performs one extension call for a suspended run; its outcome is what the handler's promise settles with.</summary>
public sealed class InvokeExtension(IExtensionInvoker extensions) : TaskActivity<ExtensionCall, ExtensionOutcome>
{
    /// <inheritdoc/>
    public override Task<ExtensionOutcome> RunAsync(TaskActivityContext context, ExtensionCall input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return extensions.InvokeAsync(input.Extension, input.Method, input.Args, CancellationToken.None);
    }
}
