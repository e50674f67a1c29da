using System.Collections.Concurrent;
using Acornima;
using Acornima.Ast;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Handlers;

/// <summary>
/// Parses handler sources with a real JavaScript parser: syntax errors with line and column, and capability
/// inference that understands both the method style (<c>$state.get('k')</c>) and the property style
/// (<c>$state.k++</c>, <c>delete $state.k</c>, <c>'k' in $state</c>).
/// </summary>
public static class HandlerAnalyzer
{
    private const int CacheLimit = 4096;
    private static readonly ConcurrentDictionary<string, HandlerAnalysis> s_cache = new(StringComparer.Ordinal);

    private static readonly ParserOptions s_options = new()
    {
        AllowReturnOutsideFunction = true,
        AllowAwaitOutsideFunction = true,
        EcmaVersion = EcmaVersion.Latest,
    };

    /// <summary>Analyzes a handler body; results are cached per source text.</summary>
    public static HandlerAnalysis Analyze(string source) => Analyze(source, out _);

    /// <summary>Analyzes a handler body, telling whether the analysis came from the cache.</summary>
    public static HandlerAnalysis Analyze(string source, out bool cacheHit)
    {
        ArgumentNullException.ThrowIfNull(source);
        cacheHit = s_cache.TryGetValue(source, out var cached);
        if (cached is not null)
        {
            return cached;
        }
        var analysis = AnalyzeUncached(source);
        if (s_cache.Count >= CacheLimit)
        {
            s_cache.Clear();
        }
        s_cache[source] = analysis;
        return analysis;
    }

    private static HandlerAnalysis AnalyzeUncached(string source)
    {
        Script script;
        try
        {
            script = new Parser(s_options).ParseScript(source, strict: true);
        }
        catch (ParseErrorException ex)
        {
            var line = Math.Max(1, ex.LineNumber);
            var column = Math.Max(1, ex.Column + 1);
            var message = ex.Error?.Description ?? ex.Message;
            return new HandlerAnalysis(
                new ExecutionError(ErrorCodes.CompilationError, $"SyntaxError: {message} (line {line}, column {column})",
                    new ErrorLocation(line, column, SourceLine(source, line))),
                CapabilitySet.None);
        }
        catch (InvalidOperationException ex)
        {
            return new HandlerAnalysis(
                new ExecutionError(ErrorCodes.CompilationError, $"SyntaxError: {ex.Message}"), CapabilitySet.None);
        }
        return new HandlerAnalysis(null, new CapabilitySet(CapabilityInference.Infer(script)));
    }

    /// <summary>Line <paramref name="line"/> (1-based) of <paramref name="source"/>, trimmed, or null.</summary>
    public static string? SourceLine(string source, int line)
    {
        ArgumentNullException.ThrowIfNull(source);
        var lines = source.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd('\r').Trim() : null;
    }
}
