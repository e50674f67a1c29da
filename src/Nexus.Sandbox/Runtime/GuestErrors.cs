using System.Text.Json;
using System.Text.RegularExpressions;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Handlers;
using Wasmtime;

namespace Nexus.Sandbox.Runtime;

/// <summary>Turns what went wrong inside the sandbox (a JavaScript error, a Wasmtime trap) into an error result.</summary>
internal static partial class GuestErrors
{
    /// <summary>The handler body is wrapped in an async function that starts on its first line.</summary>
    public const string WrapperPrefix = "__nexus_start(async function () {";

    public static ExecutionError FromTrap(TrapException trap, ExecutionLimits limits) => trap.Type switch
    {
        TrapCode.Interrupt => new(ErrorCodes.Timeout, $"Handler exceeded {limits.TimeoutMs}ms time limit"),
        TrapCode.OutOfFuel => new(ErrorCodes.ResourceLimit,
            $"Resource limit exceeded: cpu (used: {limits.Fuel}, limit: {limits.Fuel} fuel units)"),
        TrapCode.StackOverflow => StackDepth(limits),
        _ => new(ErrorCodes.WasmError, $"The sandbox trapped: {FirstLine(trap.Message)}"),
    };

    /// <summary>Maps the prelude's description of an uncaught error ({name, message, stack, code}).</summary>
    public static ExecutionError FromGuest(JsonElement error, string handler, ExecutionLimits limits)
    {
        var name = Text(error, "name") ?? "Error";
        var message = Text(error, "message") ?? "";
        var code = Text(error, "code");
        if (message.Contains("out of memory", StringComparison.Ordinal))
        {
            return OutOfMemory(limits);
        }
        if (message.Contains("stack overflow", StringComparison.Ordinal) ||
            message.Contains("call stack size exceeded", StringComparison.OrdinalIgnoreCase))
        {
            return StackDepth(limits);
        }
        var location = Locate(Text(error, "stack"), handler);
        return code is not null
            ? new(code, message, location)
            : new(ErrorCodes.ExecutionError, $"{name}: {message}", location);
    }

    /// <summary>A syntax error QuickJS found while compiling the wrapped handler.</summary>
    public static ExecutionError FromCompile(JsonElement error, string handler)
    {
        var name = Text(error, "name") ?? "SyntaxError";
        var message = Text(error, "message") ?? "";
        if (message.Contains("out of memory", StringComparison.Ordinal))
        {
            return new(ErrorCodes.MemoryLimit, "The handler is too large to compile within the memory limit");
        }
        return new(ErrorCodes.CompilationError, $"{name}: {message}", Locate(Text(error, "stack"), handler));
    }

    public static ExecutionError OutOfMemory(ExecutionLimits limits) =>
        new(ErrorCodes.MemoryLimit, $"Handler exceeded its memory limit of {limits.MemoryBytes / (1024 * 1024)} MiB");

    private static ExecutionError StackDepth(ExecutionLimits limits) =>
        new(ErrorCodes.ResourceLimit,
            $"Resource limit exceeded: stack depth (limit: {limits.StackBytes / 1024} KiB); is the recursion unbounded?");

    private static ErrorLocation? Locate(string? stack, string handler)
    {
        if (stack is null)
        {
            return null;
        }
        var match = HandlerFrame().Match(stack);
        if (!match.Success)
        {
            return null;
        }
        var line = int.Parse(match.Groups[1].Value);
        var column = match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 1;
        if (line == 1)
        {
            column = Math.Max(1, column - WrapperPrefix.Length);
        }
        return new ErrorLocation(line, column, HandlerAnalyzer.SourceLine(handler, line));
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) &&
        value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    [GeneratedRegex(@"handler:(\d+)(?::(\d+))?")]
    private static partial Regex HandlerFrame();
}
