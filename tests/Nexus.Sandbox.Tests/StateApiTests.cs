using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary><c>$state</c> in both styles: the method API and the property-style proxy over the same host calls.</summary>
public sealed class StateApiTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Fact]
    public async Task Get_ExistingKey_ReturnsValue()
    {
        var result = await fixture.RunAsync("return $state.get('user');", """{"user":{"name":"ada","tags":[1,2]}}""");

        Assert.Equal("""{"name":"ada","tags":[1,2]}""", Expect.Success(result));
        Assert.Empty(result.StateMutations);
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsUndefined()
    {
        var result = await fixture.RunAsync("return [$state.get('missing') === undefined, typeof $state.missing];");

        Assert.Equal("""[true,"undefined"]""", Expect.Success(result));
    }

    [Fact]
    public async Task Get_NonStringKey_ThrowsTypeError()
    {
        var result = await fixture.RunAsync("try { $state.get(1); return 'no'; } catch (e) { return e.name; }");

        Assert.Equal("\"TypeError\"", Expect.Success(result));
    }

    [Fact]
    public async Task Set_JsonValue_RecordsSetMutationAndReturnsValue()
    {
        var result = await fixture.RunAsync("return $state.set('item', { a: [1, 'two', null], b: true });");

        Assert.Equal("""{"a":[1,"two",null],"b":true}""", Expect.Success(result));
        Assert.Equal(["""set:item={"a":[1,"two",null],"b":true}"""], Expect.Mutations(result));
    }

    [Theory]
    [InlineData("undefined")]
    [InlineData("() => 1")]
    [InlineData("Symbol('s')")]
    public async Task Set_NonSerialisableValue_ThrowsTypeErrorAndRecordsNothing(string value)
    {
        var result = await fixture.RunAsync(
            $"try {{ $state.set('k', {value}); return 'no'; }} catch (e) {{ return e.name; }}");

        Assert.Equal("\"TypeError\"", Expect.Success(result));
        Assert.Empty(result.StateMutations);
    }

    [Fact]
    public async Task Delete_ExistingAndMissingKeys_RecordsDeletesAndTellsWhetherKeyExisted()
    {
        var result = await fixture.RunAsync("return [$state.delete('a'), $state.delete('missing')];", """{"a":1}""");

        Assert.Equal("[true,false]", Expect.Success(result));
        Assert.Equal(["delete:a", "delete:missing"], Expect.Mutations(result));
    }

    [Fact]
    public async Task Has_PresentAndMissingKeys_ReportsPresence()
    {
        var result = await fixture.RunAsync("return [$state.has('a'), $state.has('b')];", """{"a":0}""");

        Assert.Equal("[true,false]", Expect.Success(result));
    }

    [Fact]
    public async Task Keys_State_ListsTopLevelKeys()
    {
        var result = await fixture.RunAsync("return $state.keys().sort();", """{"b":1,"a":{"nested":2}}""");

        Assert.Equal("""["a","b"]""", Expect.Success(result));
    }

    [Fact]
    public async Task Keys_EmptyState_ReturnsEmptyArray()
    {
        var result = await fixture.RunAsync("return $state.keys();");

        Assert.Equal("[]", Expect.Success(result));
    }

    [Fact]
    public async Task Keys_AfterSetAndDelete_IncludesNewKeysAndOmitsDeletedOnes()
    {
        var result = await fixture.RunAsync(
            "$state.set('c', 3); $state.delete('a'); return $state.keys().sort();", """{"a":1,"b":2}""");

        Assert.Equal("""["b","c"]""", Expect.Success(result));
    }

    [Fact]
    public async Task Update_Function_SetsFunctionOfOldValueAndReturnsIt()
    {
        var result = await fixture.RunAsync("return $state.update('count', c => c + 10);", """{"count":1}""");

        Assert.Equal("11", Expect.Success(result));
        Assert.Equal(["set:count=11"], Expect.Mutations(result));
    }

    [Fact]
    public async Task Update_NonFunction_ThrowsTypeError()
    {
        var result = await fixture.RunAsync(
            "try { $state.update('count', 5); return 'no'; } catch (e) { return e.name; }", """{"count":1}""");

        Assert.Equal("\"TypeError\"", Expect.Success(result));
        Assert.Empty(result.StateMutations);
    }

    [Fact]
    public async Task PropertyIncrement_ExistingKey_ReadsAndWritesKey()
    {
        var result = await fixture.RunAsync("$state.count++; return $state.count;", """{"count":1}""");

        Assert.Equal("2", Expect.Success(result));
        Assert.Equal(["set:count=2"], Expect.Mutations(result));
    }

    [Fact]
    public async Task PropertyAssignment_Object_SetsKey()
    {
        var result = await fixture.RunAsync("$state.user = { name: 'x' }; return $state.user.name;");

        Assert.Equal("\"x\"", Expect.Success(result));
        Assert.Equal(["""set:user={"name":"x"}"""], Expect.Mutations(result));
    }

    [Fact]
    public async Task PropertyCompoundAssignment_ExistingKey_ReadsAndWritesKey()
    {
        var result = await fixture.RunAsync("$state.total += 5; $state['label'] += '!';", """{"total":10,"label":"hi"}""");

        Expect.Success(result);
        Assert.Equal(["set:total=15", "set:label=\"hi!\""], Expect.Mutations(result));
    }

    [Fact]
    public async Task PropertyDelete_ExistingKey_RecordsDeleteAndKeyIsGone()
    {
        var result = await fixture.RunAsync("delete $state.k; return ['k' in $state, $state.k === undefined];", """{"k":1}""");

        Assert.Equal("[false,true]", Expect.Success(result));
        Assert.Equal(["delete:k"], Expect.Mutations(result));
    }

    [Fact]
    public async Task InOperator_PresentAndMissingKeys_TestsPresence()
    {
        var result = await fixture.RunAsync("return ['a' in $state, 'b' in $state];", """{"a":false}""");

        Assert.Equal("[true,false]", Expect.Success(result));
    }

    [Fact]
    public async Task ObjectKeys_State_ListsKeys()
    {
        var result = await fixture.RunAsync("return Object.keys($state).sort();", """{"x":1,"y":null}""");

        Assert.Equal("""["x","y"]""", Expect.Success(result));
    }

    [Fact]
    public async Task JsonStringify_State_SerialisesEveryKey()
    {
        var result = await fixture.RunAsync("return JSON.stringify($state);", """{"a":1,"b":"x"}""");

        Assert.Equal("\"{\\\"a\\\":1,\\\"b\\\":\\\"x\\\"}\"", Expect.Success(result));
    }

    [Fact]
    public async Task MethodStyle_GetAfterSet_ReadsOwnWrite()
    {
        var result = await fixture.RunAsync(
            "$state.set('a', 2); $state.set('fresh', 'new'); return [$state.get('a'), $state.has('fresh'), $state.get('fresh')];",
            """{"a":1}""");

        Assert.Equal("""[2,true,"new"]""", Expect.Success(result));
    }

    [Fact]
    public async Task PropertyStyle_ReadAfterWrite_ReadsOwnWrite()
    {
        var result = await fixture.RunAsync("$state.a = 5; $state.a++; $state.a *= 2; return $state.a;", """{"a":1}""");

        Assert.Equal("12", Expect.Success(result));
        Assert.Equal(["set:a=5", "set:a=6", "set:a=12"], Expect.Mutations(result));
    }

    [Fact]
    public async Task MethodStyle_GetAfterDelete_ReturnsUndefined()
    {
        var result = await fixture.RunAsync(
            "$state.delete('a'); return [$state.get('a') === undefined, $state.has('a'), 'a' in $state];", """{"a":1}""");

        Assert.Equal("[true,false,false]", Expect.Success(result));
    }

    [Fact]
    public async Task Mutations_MixedStyles_ReportedInCallOrder()
    {
        var result = await fixture.RunAsync(
            "$state.set('a', 1); $state.b = 2; delete $state.a; $state.update('c', () => 3);");

        Expect.Success(result);
        Assert.Equal(["set:a=1", "set:b=2", "delete:a", "set:c=3"], Expect.Mutations(result));
    }

    [Fact]
    public async Task Await_StateProxy_DoesNotReadAThenKey()
    {
        // Promise resolution probes `then`; with no capabilities, a state read would be denied.
        var result = await fixture.RunAsync(Handlers.Request(
            "const s = await $state; return typeof s;", """{"then":1}""", capabilities: []));

        Assert.Equal("\"object\"", Expect.Success(result));
    }
}
