namespace Nexus.Kernel.Execution;

/// <summary>The error codes a run can end with, as clients see them in <c>error.code</c>.</summary>
public static class ErrorCodes
{
    public const string Timeout = "TIMEOUT";
    public const string MemoryLimit = "MEMORY_LIMIT";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string ExecutionError = "EXECUTION_ERROR";
    public const string CompilationError = "COMPILATION_ERROR";
    public const string InvalidHandler = "INVALID_HANDLER";
    public const string InternalError = "INTERNAL_ERROR";
    public const string ResourceLimit = "RESOURCE_LIMIT";
    public const string WasmError = "WASM_ERROR";
    public const string SerializationError = "SERIALIZATION_ERROR";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string ExtensionNotFound = "EXTENSION_NOT_FOUND";
    public const string MethodNotFound = "METHOD_NOT_FOUND";
    public const string ExtensionTimeout = "EXTENSION_TIMEOUT";
    public const string ExtensionError = "EXTENSION_ERROR";
    public const string Nondeterminism = "NONDETERMINISM";
    public const string Cancelled = "CANCELLED";
}
