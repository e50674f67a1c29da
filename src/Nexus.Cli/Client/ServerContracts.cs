using System.Text.Json;

namespace Nexus.Cli.Client;

/// <summary>A successful answer: its JSON body (none for 204) and, for a 202 trigger, where to follow the run.</summary>
internal sealed record ServerAnswer(JsonElement? Body, Uri? Location);

/// <summary>The server's error shape, <c>{error: {code, message, details?}}</c>.</summary>
internal sealed record ErrorAnswer(ErrorBody? Error);

/// <summary>The inside of <see cref="ErrorAnswer"/>; the CLI shows the code and the message.</summary>
internal sealed record ErrorBody(string? Code, string? Message);

/// <summary>The part of <c>GET /panels/{id}/runs/{runId}</c> that says whether the run has finished.</summary>
internal sealed record RunAnswer(string? Status);
