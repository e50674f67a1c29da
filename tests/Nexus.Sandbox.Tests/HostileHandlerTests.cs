using Nexus.Kernel.Json;
using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary>Handlers that attack the sandbox: nothing leaks into the next run, and no code is made from strings.</summary>
public sealed class HostileHandlerTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    private async Task<string> NextRunAsync(string handler) => Expect.Success(await fixture.RunAsync(handler, """{"k":1}"""));

    [Fact]
    public async Task PrototypeTampering_DoesNotLeakIntoTheNextRun()
    {
        var tampered = await fixture.RunAsync("""
            Object.prototype.x = 1;
            Array.prototype.push = null;
            String.prototype.toUpperCase = () => 'pwned';
            globalThis.leak = 'yes';
            return [({}).x, typeof [].push];
            """);
        Assert.Equal("""[1,"object"]""", Expect.Success(tampered));

        var next = await NextRunAsync("""
            const a = []; a.push(1);
            return [typeof ({}).x, a.length, 'a'.toUpperCase(), typeof globalThis.leak];
            """);

        Assert.Equal("""["undefined",1,"A","undefined"]""", next);
    }

    [Fact]
    public async Task ApiAndBuiltinTampering_StaysInsideTheRun()
    {
        var tampered = await fixture.RunAsync("""
            Date.now = () => 0;
            globalThis.Date = function () { return 'fake'; };
            Math.random = () => 0.5;
            JSON.stringify = () => 'broken';
            JSON.parse = () => 'broken';
            globalThis.$state = { get: () => 'fake' };
            return [$state.get('k'), Math.random()];
            """, """{"k":1}""");
        Assert.Equal("""["fake",0.5]""", Expect.Success(tampered));
        Assert.Empty(tampered.StateMutations);

        var next = await NextRunAsync("return [$state.get('k'), Date.now() > 0, Math.random() !== 0.5, JSON.stringify([1])];");

        Assert.Equal("""[1,true,true,"[1]"]""", next);
    }

    [Fact]
    public async Task BuiltinTampering_DoesNotBreakTheApiWithinTheRun()
    {
        var result = await fixture.RunAsync("""
            JSON.stringify = () => 'broken';
            JSON.parse = () => 'broken';
            Promise.prototype.then = function () { throw new Error('hijacked'); };
            $state.set('a', { b: [1] });
            return $state.get('a');
            """);

        Assert.Equal("""{"b":[1]}""", Expect.Success(result));
        Assert.Equal(["""set:a={"b":[1]}"""], Expect.Mutations(result));
    }

    [Theory]
    [InlineData("$emit.toast = () => 1")]
    [InlineData("$log.info = null")]
    [InlineData("$time.now = () => 0")]
    [InlineData("$view.focus = null")]
    [InlineData("$ext.http = {}")]
    [InlineData("Object.defineProperty($state, 'x', { value: 1 })")]
    public async Task FrozenApi_Reassigned_ThrowsTypeError(string statement)
    {
        var result = await fixture.RunAsync($"try {{ {statement}; return 'changed'; }} catch (e) {{ return e.name; }}");

        Assert.Equal("\"TypeError\"", Expect.Success(result));
        Assert.Empty(result.StateMutations);
    }

    [Fact]
    public async Task Eval_IsNotAvailable()
    {
        var result = await fixture.RunAsync(
            "let threw = false; try { eval('1'); } catch (e) { threw = e instanceof ReferenceError; } return [typeof eval, threw];");

        Assert.Equal("""["undefined",true]""", Expect.Success(result));
    }

    [Theory]
    [InlineData("Function('return 1')")]
    [InlineData("new Function('return 1')")]
    [InlineData("(function () {}).constructor('return 1')")]
    [InlineData("(() => {}).constructor('return 1')")]
    [InlineData("(async function () {}).constructor('return 1')")]
    [InlineData("(function* () {}).constructor('return 1')")]
    [InlineData("(async function* () {}).constructor('return 1')")]
    [InlineData("Object.getPrototypeOf(async () => {}).constructor('return 1')")]
    [InlineData("Reflect.construct(Function, ['return 1'])")]
    [InlineData("Function.prototype.constructor('return 1')")]
    public async Task FunctionConstructor_AnyRoute_ThrowsEvalError(string expression)
    {
        var result = await fixture.RunAsync(
            $"try {{ const f = {expression}; return ['created', typeof f]; }} catch (e) {{ return [e.name, e.message]; }}");

        Assert.Equal("""["EvalError","The Function constructor is not available in Nexus handlers"]""",
            Expect.Success(result));
    }

    [Fact]
    public async Task FunctionConstructor_Uncaught_EndsRunWithExecutionError()
    {
        var result = await fixture.RunAsync("return Function('return 1')();");

        var error = Expect.Error(result, ErrorCodes.ExecutionError);
        Assert.StartsWith("EvalError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InternalHooks_AreNotReachable()
    {
        var result = await fixture.RunAsync("""
            return [
              typeof globalThis.__nexus_host_call,
              typeof __nexus_start,
              Object.getOwnPropertyNames(globalThis).filter(n => n.includes('host')),
            ];
            """);

        Assert.Equal("""["undefined","undefined",[]]""", Expect.Success(result));
    }

    [Fact]
    public async Task Outcome_TamperedAfterReturn_CannotForgeTheResult()
    {
        var result = await fixture.RunAsync("""
            const forge = () => {
              const o = __nexus_outcome();
              if (o) { o.ok = false; o.value = '{'; o.error = { name: 'X', message: 'forged', code: 'TIMEOUT' }; }
            };
            let p = Promise.resolve();
            for (let i = 0; i < 10; i++) p = p.then(() => { try { forge(); } catch { } });
            return 1;
            """);

        Assert.Equal("1", Expect.Success(result));
    }

    [Fact]
    public async Task WrapperEscape_ClosingTheHandlerFunction_IsACompilationError()
    {
        var result = await fixture.RunAsync("return 1; }); globalThis.escaped = true; (async function () {");

        Expect.Error(result, ErrorCodes.CompilationError);
    }

    [Fact]
    public async Task HostEnvironment_OffersNoIo()
    {
        var result = await fixture.RunAsync("""
            return ['std', 'os', 'print', 'scriptArgs', 'fetch', 'XMLHttpRequest', 'setTimeout', 'setInterval',
                    'require', 'process', 'WebAssembly', 'window', 'document']
              .filter(name => typeof globalThis[name] !== 'undefined');
            """);

        Assert.Equal("[]", Expect.Success(result));
    }

    [Theory]
    [InlineData("$state.set('k', { toJSON() { return undefined; } })")]
    [InlineData("$emit('e', { toJSON() { return () => 1; } })")]
    public async Task Value_SerialisingToNothing_ThrowsTypeError(string call)
    {
        var result = await fixture.RunAsync($"try {{ {call}; return 'no'; }} catch (e) {{ return e.name; }}");

        Assert.Equal("\"TypeError\"", Expect.Success(result));
        Assert.Empty(result.StateMutations);
        Assert.Empty(result.Events);
    }

    [Theory]
    [InlineData("$state.set('k', deep)")]
    [InlineData("$emit('e', deep)")]
    [InlineData("$view.command('v', 'c', deep)")]
    [InlineData("$ext.db.query(deep)")]
    public async Task Value_NestedTooDeeplyForTheHost_IsACatchableSerializationError(string call)
    {
        var result = await fixture.RunAsync($$"""
            let deep = 1; for (let i = 0; i < 100; i++) deep = [deep];
            try { await {{call}}; return 'no'; } catch (e) { return e.code; }
            """);

        Assert.Equal("\"SERIALIZATION_ERROR\"", Expect.Success(result));
        Assert.Empty(result.StateMutations);
        Assert.Empty(result.Events);
        Assert.Empty(result.ViewCommands);
    }

    [Theory]
    [InlineData(NexusJson.MaxValueDepth, true)]
    [InlineData(NexusJson.MaxValueDepth + 1, false)]
    public async Task StateValue_AtTheDepthLimit_IsAcceptedAndOneDeeperIsNot(int depth, bool accepted)
    {
        var result = await fixture.RunAsync($$"""
            let deep = 1; for (let i = 0; i < {{depth}}; i++) deep = [deep];
            try { $state.set('k', deep); return 'stored'; } catch (e) { return e.code; }
            """);

        Assert.Equal(accepted ? "\"stored\"" : "\"SERIALIZATION_ERROR\"", Expect.Success(result));
        Assert.Equal(accepted ? 1 : 0, result.StateMutations.Count);
    }

    [Fact]
    public async Task Return_NestedTooDeeplyForTheHost_EndsWithSerializationError()
    {
        var result = await fixture.RunAsync("let deep = 1; for (let i = 0; i < 100; i++) deep = [deep]; return deep;");

        Expect.Error(result, ErrorCodes.SerializationError);
    }

    [Theory]
    [InlineData("throw new Error('bad \\ud800 text');")]
    [InlineData("return 'bad \\ud800 text';")]
    [InlineData("$state.set('k', 'bad \\ud800 text'); return 1;")]
    [InlineData("$state.set('bad \\udfff key', 1); return 1;")]
    [InlineData("$emit('e', ['bad \\ud800']); return 1;")]
    [InlineData("$view.command('v\\ud800', 'c', { t: '\\ud800' }); return 1;")]
    [InlineData("return await $ext.db.query('\\ud800');")]
    [InlineData("return await $ext['x\\ud800'].m();")]
    public async Task LoneSurrogate_AnywhereInOutput_GivesAResultThatSerialises(string handler)
    {
        var result = await fixture.RunAsync(handler);

        // Serialising reads every string back; a lone surrogate escape would throw here.
        Assert.NotEmpty(Expect.Serialize(result));
        Assert.NotEqual(ErrorCodes.WasmError, result.Error?.Code);
        Assert.NotEqual(ErrorCodes.InternalError, result.Error?.Code);
    }
}
