using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Json;

namespace Nexus.Sandbox.Tests.Support;

/// <summary>Assertions on results that say what went wrong when they fail.</summary>
public static class Expect
{
    /// <summary>Asserts success and returns the return value as compact JSON ("null" when absent).</summary>
    public static string Success(ExecutionResult result)
    {
        Assert.True(result.Status == ExecutionStatus.Success,
            $"expected success, got {result.Status}: {result.Error?.Code} {result.Error?.Message}");
        return Json(result.ReturnValue);
    }

    /// <summary>Asserts a suspension and returns its details.</summary>
    public static SuspensionDetails Suspended(ExecutionResult result)
    {
        Assert.True(result.Status == ExecutionStatus.Suspended,
            $"expected suspended, got {result.Status}: {result.Error?.Code} {result.Error?.Message}");
        Assert.NotNull(result.Suspension);
        Assert.Null(result.ReturnValue);
        return result.Suspension;
    }

    /// <summary>Asserts an error with <paramref name="code"/> and no effects of the failed run's own.</summary>
    public static ExecutionError Error(ExecutionResult result, string code)
    {
        Assert.True(result.Status == ExecutionStatus.Error,
            $"expected error {code}, got {result.Status} with {Json(result.ReturnValue)}");
        Assert.NotNull(result.Error);
        Assert.True(result.Error.Code == code, $"expected {code}, got {result.Error.Code}: {result.Error.Message}");
        Assert.Empty(result.StateMutations);
        Assert.Empty(result.Events);
        Assert.Empty(result.ViewCommands);
        Assert.Null(result.ReturnValue);
        return result.Error;
    }

    public static string Json(JsonElement? element) => element is { } e ? e.GetRawText() : "null";

    /// <summary>Mutations as compact "set:key=value" / "delete:key" strings, in order.</summary>
    public static string[] Mutations(ExecutionResult result) =>
        result.StateMutations
            .Select(m => m.Op == StateMutation.SetOp ? $"set:{m.Key}={Json(m.Value)}" : $"{m.Op}:{m.Key}")
            .ToArray();

    /// <summary>Events as compact "name=payload" strings, in order.</summary>
    public static string[] Events(ExecutionResult result) =>
        result.Events.Select(e => $"{e.Name}={Json(e.Payload)}").ToArray();

    /// <summary>JSON of any value, the Nexus way.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, NexusJson.Options);
}
