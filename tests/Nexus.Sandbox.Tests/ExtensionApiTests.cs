using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary><c>$ext.&lt;extension&gt;.&lt;method&gt;()</c> and the <c>$ext.exists/methods/list</c> helpers.</summary>
public sealed class ExtensionApiTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Fact]
    public async Task Call_KnownMethod_SuspendsWithCallDetails()
    {
        var result = await fixture.RunAsync("const r = await $ext.http.get('https://example.test', { retries: 2 }); return r;");

        var suspension = Expect.Suspended(result);
        Assert.Equal("http", suspension.ExtensionName);
        Assert.Equal("get", suspension.Method);
        Assert.Equal("""["https://example.test",{"retries":2}]""", Expect.Json(suspension.Args));
        Assert.Equal(suspension.SuspensionId, result.Journal!.PendingCall!.SuspensionId);
        Assert.Equal(1, result.Journal.Suspensions);
    }

    [Fact]
    public async Task Call_EffectsBeforeAwait_AreReportedWithTheSuspension()
    {
        var result = await fixture.RunAsync("$state.status = 'loading'; $emit('started'); await $ext.db.query('q');");

        Expect.Suspended(result);
        Assert.Equal(["set:status=\"loading\""], Expect.Mutations(result));
        Assert.Equal(["started=null"], Expect.Events(result));
        Assert.Equal(new EffectCounts(1, 1, 0, 0), result.Journal!.Reported);
    }

    [Fact]
    public async Task Call_NotAwaitedBeforeReturn_StillSuspendsForItsOutcome()
    {
        var request = Handlers.Request("const p = $ext.db.insert({ a: 1 }); return p instanceof Promise;");

        var suspended = await fixture.RunAsync(request);
        Assert.Equal("insert", Expect.Suspended(suspended).Method);
        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("1")));

        Assert.Equal("true", Expect.Success(resumed));
    }

    [Fact]
    public async Task Exists_KnownAndUnknown_TellsWhichIsRegistered()
    {
        var result = await fixture.RunAsync("return [$ext.exists('http'), $ext.exists('db'), $ext.exists('nope')];");

        Assert.Equal("[true,true,false]", Expect.Success(result));
    }

    [Fact]
    public async Task Methods_KnownAndUnknown_ListsMethodsOrNothing()
    {
        var result = await fixture.RunAsync("return [$ext.methods('db'), $ext.methods('nope')];");

        Assert.Equal("""[["query","insert"],[]]""", Expect.Success(result));
    }

    [Fact]
    public async Task List_Registered_ListsEveryExtension()
    {
        var result = await fixture.RunAsync("return $ext.list().sort();");

        Assert.Equal("""["db","http"]""", Expect.Success(result));
    }

    [Fact]
    public async Task InOperator_Extension_TestsExistence()
    {
        var result = await fixture.RunAsync("return ['http' in $ext, 'nope' in $ext];");

        Assert.Equal("[true,false]", Expect.Success(result));
    }

    [Fact]
    public async Task Helpers_NoCapabilities_NeedNone()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "return [$ext.exists('http'), $ext.methods('db').length, $ext.list().length];", capabilities: []));

        Assert.Equal("[true,2,2]", Expect.Success(result));
    }

    [Fact]
    public async Task Call_UnknownExtension_RejectsWithExtensionNotFound()
    {
        var result = await fixture.RunAsync("""
            try { await $ext.nope.run(1); return 'no'; }
            catch (e) { return [e.code, e.message, e.extension, e.method]; }
            """);

        Assert.Equal("""["EXTENSION_NOT_FOUND","Extension 'nope' not found","nope","run"]""", Expect.Success(result));
    }

    [Fact]
    public async Task Call_UnknownMethod_RejectsWithMethodNotFound()
    {
        var result = await fixture.RunAsync("""
            try { await $ext.db.drop('t'); return 'no'; }
            catch (e) { return [e.code, e.message]; }
            """);

        Assert.Equal("""["METHOD_NOT_FOUND","Method 'drop' not found on extension 'db'"]""", Expect.Success(result));
    }

    [Fact]
    public async Task Call_UnknownExtensionUncaught_EndsRunWithExtensionNotFound()
    {
        var result = await fixture.RunAsync("$state.x = 1; await $ext.nope.run();");

        var error = Expect.Error(result, ErrorCodes.ExtensionNotFound);
        Assert.Equal("Extension 'nope' not found", error.Message);
    }

    [Fact]
    public async Task Call_UnknownMethodUncaught_EndsRunWithMethodNotFound()
    {
        var result = await fixture.RunAsync("await $ext.http.fetch('u');");

        Expect.Error(result, ErrorCodes.MethodNotFound);
    }

    [Fact]
    public async Task Call_UnknownExtensionWithoutCapability_IsNotFoundRatherThanDenied()
    {
        // The registry is checked before the capability, as in the original.
        var result = await fixture.RunAsync(Handlers.Request("await $ext.nope.run();", capabilities: []));

        Expect.Error(result, ErrorCodes.ExtensionNotFound);
    }
}
