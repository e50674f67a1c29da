using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nexus.Kernel.Execution;

/// <summary>
/// The record of a run's host calls, so that a suspended run can be run again from the start with the same answers.
/// </summary>
/// <remarks>
/// Replay answers the first <c>Entries.Count</c> recorded calls from here; a call that differs from its entry at the
/// same position is a <see cref="ErrorCodes.Nondeterminism"/> error. <see cref="Reported"/> counts the effects
/// already handed to the caller, which a replay produces again but does not report twice.
/// </remarks>
public sealed record Journal(
    string ExecutionId,
    uint Seed,
    long StartedAt,
    IReadOnlyList<JournalEntry> Entries,
    EffectCounts Reported,
    int Suspensions = 0)
{
    /// <summary>The first extension call still waiting for its outcome, if any.</summary>
    [JsonIgnore]
    public JournalEntry? PendingCall => Entries.FirstOrDefault(e => e.Op == JournalOps.Extension && e.Outcome is null);

    /// <summary>Returns a copy whose pending extension call has <paramref name="outcome"/>.</summary>
    /// <exception cref="InvalidOperationException">No call is pending.</exception>
    public Journal WithOutcome(ExtensionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var pending = PendingCall ?? throw new InvalidOperationException(
            $"Run {ExecutionId} has no pending extension call to resume.");
        var entries = Entries.Select(e => ReferenceEquals(e, pending) ? e with { Outcome = outcome } : e).ToList();
        return this with { Entries = entries };
    }
}

/// <summary>One recorded host call: what was asked (<c>op</c>, <c>key</c>, <c>args</c>) and what was answered.</summary>
public sealed record JournalEntry(
    string Op,
    string? Key = null,
    JsonElement? Value = null,
    JsonElement? Args = null,
    string? SuspensionId = null,
    ExtensionOutcome? Outcome = null);

/// <summary>The host calls a journal records.</summary>
public static class JournalOps
{
    public const string StateGet = "state.get";
    public const string StateHas = "state.has";
    public const string StateKeys = "state.keys";
    public const string StateSet = "state.set";
    public const string StateDelete = "state.delete";
    public const string Emit = "emit";
    public const string View = "view";
    public const string Time = "time";
    public const string Extension = "ext";
}

/// <summary>How an extension call ended: a value, or an error message (and code) the handler sees as a rejection.</summary>
public sealed record ExtensionOutcome(bool Success, JsonElement? Value = null, string? Error = null, string? Code = null)
{
    /// <summary>A successful outcome.</summary>
    public static ExtensionOutcome Ok(JsonElement value) => new(true, value);

    /// <summary>A failed outcome.</summary>
    public static ExtensionOutcome Fail(string error, string? code = null) => new(false, null, error, code);
}
