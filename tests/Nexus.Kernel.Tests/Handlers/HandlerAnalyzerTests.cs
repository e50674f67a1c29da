using Nexus.Kernel.Execution;
using Nexus.Kernel.Handlers;

namespace Nexus.Kernel.Tests.Handlers;

/// <summary>Parsing handler sources: syntax errors with their position, and capability inference for both styles.</summary>
public sealed class HandlerAnalyzerTests
{
    private static string[] Infer(string source)
    {
        var analysis = HandlerAnalyzer.Analyze(source);
        Assert.True(analysis.IsValid, analysis.SyntaxError?.Message);
        return analysis.InferredCapabilities.Items.Select(c => c.ToString()).Order(StringComparer.Ordinal).ToArray();
    }

    [Theory]
    [InlineData("$state.get('count')", "state:read:count")]
    [InlineData("$state.has('count')", "state:read:count")]
    [InlineData("$state.get(`count`)", "state:read:count")]
    [InlineData("$state.set('count', 1)", "state:write:count")]
    [InlineData("$state.delete('count')", "state:write:count")]
    [InlineData("$state.keys()", "state:read:*")]
    [InlineData("$state.update('count', c => c + 1)", "state:read:count,state:write:count")]
    [InlineData("$state.get(key)", "state:read:*")]
    [InlineData("$state.set(key, 1)", "state:write:*")]
    [InlineData("$state.get(`count${n}`)", "state:read:*")]
    public void Analyze_MethodStyle_InfersLiteralKeysOrWildcard(string source, string expected)
    {
        Assert.Equal(expected.Split(','), Infer(source));
    }

    [Theory]
    [InlineData("$state.get('x')")]
    [InlineData("$state.set('x', 1)")]
    [InlineData("$state.has('x')")]
    [InlineData("$state.delete('x')")]
    [InlineData("$state.update('x', f)")]
    [InlineData("$state.keys()")]
    public void Analyze_MethodCall_DoesNotInferTheMethodNameAsAKey(string source)
    {
        var inferred = Infer(source);

        Assert.DoesNotContain(inferred, c => c.EndsWith(":get", StringComparison.Ordinal) ||
            c.EndsWith(":set", StringComparison.Ordinal) || c.EndsWith(":has", StringComparison.Ordinal) ||
            c.EndsWith(":delete", StringComparison.Ordinal) || c.EndsWith(":update", StringComparison.Ordinal) ||
            c.EndsWith(":keys", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("return $state.count", "state:read:count")]
    [InlineData("return $state['count']", "state:read:count")]
    [InlineData("$state.user = { name: 'x' }", "state:write:user")]
    [InlineData("$state['user'] = 1", "state:write:user")]
    [InlineData("$state.count++", "state:read:count,state:write:count")]
    [InlineData("--$state.count", "state:read:count,state:write:count")]
    [InlineData("$state.total += 5", "state:read:total,state:write:total")]
    [InlineData("$state.name ??= 'x'", "state:read:name,state:write:name")]
    [InlineData("delete $state.old", "state:write:old")]
    [InlineData("return 'k' in $state", "state:read:k")]
    [InlineData("return k in $state", "state:read:*")]
    [InlineData("return $state[k]", "state:read:*")]
    [InlineData("$state[k] = 1", "state:write:*")]
    [InlineData("if ($state.a === $state.b) {}", "state:read:a,state:read:b")]
    [InlineData("[$state.a, $state.b] = [1, 2]", "state:write:a,state:write:b")]
    [InlineData("[$state.a, ...$state.rest] = list", "state:write:a,state:write:rest")]
    [InlineData("({ x: $state.a, y: $state.b = 2 } = obj)", "state:write:a,state:write:b")]
    [InlineData("({ [$state.k]: x } = obj)", "state:read:k")]
    [InlineData("for ($state.item of list) {}", "state:write:item")]
    [InlineData("for ($state.key in obj) {}", "state:write:key")]
    [InlineData("const o = { k: $state.a }", "state:read:a")]
    public void Analyze_PropertyStyle_InfersReadsAndWrites(string source, string expected)
    {
        Assert.Equal(expected.Split(','), Infer(source));
    }

    [Theory]
    [InlineData("const s = $state; s.x = 1")]
    [InlineData("const { count } = $state")]
    [InlineData("return Object.keys($state)")]
    [InlineData("helper($state)")]
    [InlineData("return { ...$state }")]
    public void Analyze_StateEscapes_InfersReadAndWriteWildcards(string source)
    {
        Assert.Equal(["state:read:*", "state:write:*"], Infer(source));
    }

    [Theory]
    [InlineData("$emit('saved', {})", "events:emit:saved")]
    [InlineData("$emit(`saved`)", "events:emit:saved")]
    [InlineData("$emit(name, {})", "events:emit:*")]
    [InlineData("$emit.toast('hi')", "events:emit:toast")]
    [InlineData("$emit.toast('hi', 'error'); $emit('a'); $emit('b')", "events:emit:a,events:emit:b,events:emit:toast")]
    [InlineData("const e = $emit; e('x')", "events:emit:*")]
    public void Analyze_Emit_InfersLiteralOrWildcardNames(string source, string expected)
    {
        Assert.Equal(expected.Split(','), Infer(source));
    }

    [Theory]
    [InlineData("$view.setFilter('list', 'x')", "view:update:list")]
    [InlineData("$view.scrollTo('log', 0)", "view:update:log")]
    [InlineData("$view.focus('search')", "view:update:search")]
    [InlineData("$view.command('grid', 'refresh')", "view:update:grid")]
    [InlineData("$view.command(undefined, 'reload')", "view:update:*")]
    [InlineData("$view.focus(id)", "view:update:*")]
    [InlineData("const v = $view; v.focus('a')", "view:update:*")]
    public void Analyze_View_InfersComponentIds(string source, string expected)
    {
        Assert.Equal(expected.Split(','), Infer(source));
    }

    [Theory]
    [InlineData("await $ext.http.get('u')", "ext:http")]
    [InlineData("await $ext['my-ext'].run()", "ext:my-ext")]
    [InlineData("await $ext.http.get('u'); await $ext.db.query()", "ext:db,ext:http")]
    [InlineData("await $ext[name].run()", "ext:*")]
    [InlineData("const x = $ext; await x.http.get()", "ext:*")]
    public void Analyze_Extensions_InfersExtensionNames(string source, string expected)
    {
        Assert.Equal(expected.Split(','), Infer(source));
    }

    [Theory]
    [InlineData("return [$ext.exists('http'), $ext.methods('http'), $ext.list(), 'http' in $ext]")]
    [InlineData("$log('x'); $log.warn('y'); return [$time.now(), $args.a, $scope.b, Date.now(), Math.random()]")]
    [InlineData("const o = { count: 1 }; o.count++; return o.$state")]
    public void Analyze_NoGuardedCalls_InfersNothing(string source)
    {
        Assert.Empty(Infer(source));
    }

    [Fact]
    public void Analyze_NestedFunctions_InfersFromTheirBodiesToo()
    {
        var inferred = Infer("""
            const bump = async (n) => { $state.count += n; await $ext.db.insert(n); };
            function note() { $emit('bumped'); }
            await bump(1); note();
            """);

        Assert.Equal(["events:emit:bumped", "ext:db", "state:read:count", "state:write:count"], inferred);
    }

    [Fact]
    public void Analyze_TopLevelAwaitAndReturn_IsValid()
    {
        var analysis = HandlerAnalyzer.Analyze("const r = await Promise.resolve(1);\nreturn r;");

        Assert.True(analysis.IsValid);
        Assert.Null(analysis.SyntaxError);
    }

    [Theory]
    [InlineData("let x = ;", 1, 9, "let x = ;")]
    [InlineData("const a = 1;\n  const b = (;\n", 2, 14, "const b = (;")]
    [InlineData("return 1;\n}\n", 2, 1, "}")]
    [InlineData("const a = 1;\r\nlet 1x = 2;", 2, 5, "let 1x = 2;")]
    public void Analyze_SyntaxError_ReportsCompilationErrorWithLineColumnAndSourceLine(
        string source, int line, int column, string snippet)
    {
        var analysis = HandlerAnalyzer.Analyze(source);

        Assert.False(analysis.IsValid);
        var error = analysis.SyntaxError!;
        Assert.Equal(ErrorCodes.CompilationError, error.Code);
        Assert.StartsWith("SyntaxError: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(line {line}, column {column})", error.Message, StringComparison.Ordinal);
        Assert.Equal(new ErrorLocation(line, column, snippet), error.Location);
        Assert.Empty(analysis.InferredCapabilities.Items);
    }

    [Theory]
    [InlineData("with (Math) { return PI; }")]
    [InlineData("const x = 010;")]
    [InlineData("let let = 1;")]
    public void Analyze_SloppyModeOnlyCode_IsASyntaxError(string source)
    {
        Assert.False(HandlerAnalyzer.Analyze(source).IsValid);
    }

    [Fact]
    public void Analyze_SameSourceTwice_SecondComesFromTheCache()
    {
        var source = $"return '{Guid.NewGuid()}';";

        var first = HandlerAnalyzer.Analyze(source, out var firstHit);
        var second = HandlerAnalyzer.Analyze(source, out var secondHit);

        Assert.False(firstHit);
        Assert.True(secondHit);
        Assert.Same(first, second);
    }

    [Theory]
    [InlineData("a\n  b  \nc", 2, "b")]
    [InlineData("a\r\nb\r\n", 2, "b")]
    [InlineData("a", 1, "a")]
    [InlineData("a", 2, null)]
    [InlineData("a", 0, null)]
    public void SourceLine_LineNumber_ReturnsThatLineTrimmed(string source, int line, string? expected)
    {
        Assert.Equal(expected, HandlerAnalyzer.SourceLine(source, line));
    }
}
