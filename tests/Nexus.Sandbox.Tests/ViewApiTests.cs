using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary><c>$view</c> commands, each reported as <c>{viewId, command, params}</c>.</summary>
public sealed class ViewApiTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Theory]
    [InlineData("$view.setFilter('list', 'abc')", "list", "setFilter", """{"value":"abc"}""")]
    [InlineData("$view.scrollTo('log', 120)", "log", "scrollTo", """{"position":120}""")]
    [InlineData("$view.focus('search')", "search", "focus", "{}")]
    [InlineData("$view.command('grid', 'refresh', { force: true })", "grid", "refresh", """{"force":true}""")]
    [InlineData("$view.command('grid', 'clear')", "grid", "clear", "{}")]
    public async Task Command_Call_RecordsViewCommand(string call, string viewId, string command, string parameters)
    {
        var result = await fixture.RunAsync(call);

        Expect.Success(result);
        var vc = Assert.Single(result.ViewCommands);
        Assert.Equal(viewId, vc.ViewId);
        Assert.Equal(command, vc.Command);
        Assert.Equal(parameters, Expect.Json(vc.Params));
    }

    [Fact]
    public async Task Command_Serialised_HasViewIdCommandAndParams()
    {
        var result = await fixture.RunAsync("$view.setFilter('list', 'abc');");

        Expect.Success(result);
        Assert.Equal("""{"viewId":"list","command":"setFilter","params":{"value":"abc"}}""",
            Expect.Serialize(result.ViewCommands[0]));
    }

    [Fact]
    public async Task Command_NoComponentId_RecordsNullViewId()
    {
        var result = await fixture.RunAsync("$view.command(undefined, 'reload', { hard: 1 });");

        Expect.Success(result);
        var vc = Assert.Single(result.ViewCommands);
        Assert.Null(vc.ViewId);
        Assert.Equal("reload", vc.Command);
        Assert.Equal("""{"hard":1}""", Expect.Json(vc.Params));
    }

    [Fact]
    public async Task Commands_Several_RecordedInCallOrder()
    {
        var result = await fixture.RunAsync("$view.focus('a'); $view.scrollTo('b', 0); $view.setFilter('a', null);");

        Expect.Success(result);
        Assert.Equal(["a/focus", "b/scrollTo", "a/setFilter"],
            result.ViewCommands.Select(v => $"{v.ViewId}/{v.Command}"));
    }

    [Theory]
    [InlineData("$view.focus(7)")]
    [InlineData("$view.command('grid', 42)")]
    public async Task Command_NonStringIdOrName_ThrowsTypeError(string call)
    {
        var result = await fixture.RunAsync($"try {{ {call}; return 'no'; }} catch (e) {{ return e.name; }}");

        Assert.Equal("\"TypeError\"", Expect.Success(result));
        Assert.Empty(result.ViewCommands);
    }
}
