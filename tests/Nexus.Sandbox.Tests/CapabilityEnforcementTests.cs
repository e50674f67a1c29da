using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary>Capabilities enforced on every guarded call, declared or inferred from the source.</summary>
public sealed class CapabilityEnforcementTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Theory]
    [InlineData("state:read:count", "$state.get('count')")]
    [InlineData("state:read:count", "$state.has('count')")]
    [InlineData("state:read:count", "$state.count")]
    [InlineData("state:read:count", "'count' in $state")]
    [InlineData("state:read:*", "$state.get('anything')")]
    [InlineData("state:read:*", "$state.keys()")]
    [InlineData("state:read:*", "Object.keys($state)")]
    [InlineData("state:write:a", "$state.set('a', 1)")]
    [InlineData("state:write:a", "$state.delete('a')")]
    [InlineData("state:write:a", "$state.a = 1")]
    [InlineData("state:write:a", "delete $state.a")]
    [InlineData("state:write:*", "$state.set('zzz', 1)")]
    [InlineData("state:read:n,state:write:n", "$state.n++")]
    [InlineData("state:read:n,state:write:n", "$state.update('n', x => x + 1)")]
    [InlineData("events:emit:saved", "$emit('saved', {})")]
    [InlineData("events:emit:toast", "$emit.toast('hi')")]
    [InlineData("events:emit:*", "$emit('anything')")]
    [InlineData("view:update:list", "$view.focus('list')")]
    [InlineData("view:update:list", "$view.command('list', 'refresh')")]
    [InlineData("view:update:*", "$view.setFilter('any', 'x')")]
    [InlineData("view:update:*", "$view.command(undefined, 'reload')")]
    [InlineData("state:read:x,ext:db", "await $ext.db.query()")]
    [InlineData("ext:*", "await $ext.http.get('u')")]
    public async Task GuardedCall_GrantingCapability_IsAllowed(string capabilities, string call)
    {
        var result = await fixture.RunAsync(Handlers.Request(
            $"{call};\nreturn 'ok';", """{"count":1,"n":1,"a":0}""", capabilities: capabilities.Split(',')));

        Assert.True(result.Status != ExecutionStatus.Error, $"{result.Error?.Code}: {result.Error?.Message}");
    }

    [Theory]
    [InlineData("state:read:count", "$state.get('other')", "state:read:other")]
    [InlineData("state:read:count", "$state.keys()", "state:read:*")]
    [InlineData("state:read:count", "$state.set('count', 2)", "state:write:count")]
    [InlineData("state:read:count", "$state.count++", "state:write:count")]
    [InlineData("state:write:count", "$state.get('count')", "state:read:count")]
    [InlineData("state:write:a", "$state.set('b', 1)", "state:write:b")]
    [InlineData("state:write:a", "delete $state.b", "state:write:b")]
    [InlineData("state:write:*", "$state.get('a')", "state:read:a")]
    [InlineData("state:read:x", "'count' in $state", "state:read:count")]
    [InlineData("state:read:Count", "$state.get('count')", "state:read:count")]
    [InlineData("state:read:count", "$state.get('Count')", "state:read:Count")]
    [InlineData("events:emit:saved", "$emit('deleted')", "events:emit:deleted")]
    [InlineData("events:emit:saved", "$emit('Saved')", "events:emit:Saved")]
    [InlineData("events:emit:saved", "$emit.toast('hi')", "events:emit:toast")]
    [InlineData("state:write:*", "$emit('x')", "events:emit:x")]
    [InlineData("view:update:list", "$view.focus('grid')", "view:update:grid")]
    [InlineData("view:update:list", "$view.command(undefined, 'reload')", "view:update:*")]
    [InlineData("events:emit:*", "$view.focus('list')", "view:update:list")]
    [InlineData("ext:http", "await $ext.db.query()", "ext:db")]
    [InlineData("ext:Http", "await $ext.http.get('u')", "ext:http")]
    [InlineData("state:read:*", "await $ext.http.get('u')", "ext:http")]
    public async Task GuardedCall_WithoutGrantingCapability_IsDeniedNamingTheToken(
        string capabilities, string call, string required)
    {
        var result = await fixture.RunAsync(Handlers.Request(
            $"{call};\nreturn 'ok';", """{"count":1,"a":0,"b":0}""", capabilities: capabilities.Split(',')));

        var error = Expect.Error(result, ErrorCodes.PermissionDenied);
        Assert.EndsWith($"requires capability '{required}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$state.get('a')")]
    [InlineData("$state.a = 1")]
    [InlineData("$emit('e')")]
    [InlineData("$view.focus('v')")]
    [InlineData("await $ext.http.get('u')")]
    public async Task GuardedCall_EmptyCapabilityList_IsDenied(string call)
    {
        var result = await fixture.RunAsync(Handlers.Request($"{call};\nreturn 'ok';", capabilities: []));

        Expect.Error(result, ErrorCodes.PermissionDenied);
    }

    [Fact]
    public async Task Denied_CaughtByTryCatch_HandlerContinuesWithoutTheEffect()
    {
        var result = await fixture.RunAsync(Handlers.Request("""
            try { $state.set('secret', 1); } catch (e) { $state.ok = [e.code, e instanceof Error, e.message]; }
            return 'continued';
            """, capabilities: ["state:write:ok"]));

        Assert.Equal("\"continued\"", Expect.Success(result));
        Assert.Equal(
            ["""set:ok=["PERMISSION_DENIED",true,"Permission denied: $state.set('secret') requires capability 'state:write:secret'"]"""],
            Expect.Mutations(result));
    }

    [Fact]
    public async Task Denied_Uncaught_EndsRunWithPermissionDeniedAndLocation()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "$state.allowed = 1;\n$emit('forbidden');", capabilities: ["state:write:allowed"]));

        var error = Expect.Error(result, ErrorCodes.PermissionDenied);
        Assert.Equal("Permission denied: $emit('forbidden') requires capability 'events:emit:forbidden'", error.Message);
        Assert.Equal(2, error.Location?.Line);
    }

    [Fact]
    public async Task Denied_ExtensionCall_RejectsThePromise()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "try { await $ext.http.get('u'); } catch (e) { return e.code; }", capabilities: []));

        Assert.Equal("\"PERMISSION_DENIED\"", Expect.Success(result));
    }

    [Fact]
    public async Task DeclaredList_UsedAsGiven_NothingIsInferredOnTop()
    {
        // Inference would grant state:write:b from the source; a declared list is never widened.
        var result = await fixture.RunAsync(Handlers.Request(
            "$state.get('a'); $state.set('b', 1);", capabilities: ["state:read:a"]));

        Expect.Error(result, ErrorCodes.PermissionDenied);
    }

    [Fact]
    public async Task Inferred_PropertyAndMethodStyles_AreAllowed()
    {
        var result = await fixture.RunAsync(Handlers.Request("""
            $state.count++;
            $state.total += 2;
            delete $state.old;
            $state.set('a', $state.get('b'));
            $state.update('c', x => (x ?? 0) + 1);
            return ['k' in $state, $state.has('d')];
            """, """{"count":1,"total":1,"old":1,"b":2}""", infer: true));

        Assert.Equal("[false,false]", Expect.Success(result));
        Assert.Equal(["set:count=2", "set:total=3", "delete:old", "set:a=2", "set:c=1"], Expect.Mutations(result));
    }

    [Fact]
    public async Task Inferred_DestructuringAssignment_IsAllowed()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "[$state.a, $state.b] = [$state.b, $state.a]; ({ c: $state.c } = { c: 3 }); return [$state.a, $state.b];",
            """{"a":1,"b":2}""", infer: true));

        Assert.Equal("[2,1]", Expect.Success(result));
        Assert.Equal(["set:a=2", "set:b=1", "set:c=3"], Expect.Mutations(result));
    }

    [Fact]
    public async Task Inferred_EventsViewAndExtensions_AreAllowed()
    {
        var result = await fixture.RunAsync(Handlers.Request("""
            $emit('saved', 1);
            $emit.toast('done');
            $view.focus('list');
            return await $ext.http.get('u');
            """, infer: true));

        Expect.Suspended(result);
        Assert.Equal(["saved=1", """toast={"message":"done","level":"info"}"""], Expect.Events(result));
        Assert.Single(result.ViewCommands);
    }

    [Fact]
    public async Task Inferred_DynamicNames_GetWildcards()
    {
        var result = await fixture.RunAsync(Handlers.Request("""
            const k = 'key' + 1, e = 'evt' + 2, v = 'view' + 3;
            $state.set(k, 1); $state[k + 'b'] = 2; $emit(e); $view.focus(v);
            return $state.keys();
            """, infer: true));

        Assert.Equal("""["key1","key1b"]""", Expect.Success(result));
    }

    [Fact]
    public async Task Inferred_EscapedState_GetsWildcards()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "const s = $state; s.anything = 1; return s.other;", """{"other":5}""", infer: true));

        Assert.Equal("5", Expect.Success(result));
    }

    [Fact]
    public async Task Inferred_LiteralKeysOnly_OtherKeysReachedIndirectlyAreDenied()
    {
        // Reaching $state through globalThis hides the access from inference, so it is not granted.
        var result = await fixture.RunAsync(Handlers.Request(
            "$state.get('a'); return globalThis.$state.get('b');", infer: true));

        var error = Expect.Error(result, ErrorCodes.PermissionDenied);
        Assert.Contains("state:read:b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inferred_MethodCallGet_DoesNotGrantAKeyNamedGet()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "$state.get('x'); return globalThis['$state'].get('get');", infer: true));

        Expect.Error(result, ErrorCodes.PermissionDenied);
    }
}
