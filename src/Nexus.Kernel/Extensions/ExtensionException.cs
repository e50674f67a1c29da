namespace Nexus.Kernel.Extensions;

/// <summary>An extension call that failed, with the error code the handler sees.</summary>
public sealed class ExtensionException(string code, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The error code, one of <see cref="Execution.ErrorCodes"/>.</summary>
    public string Code { get; } = code;
}
