using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary><c>$emit(name, payload)</c> and <c>$emit.toast(message, level)</c>.</summary>
public sealed class EmitApiTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Fact]
    public async Task Emit_NameAndPayload_RecordsEventStampedByHostClock()
    {
        fixture.Clock.NowMs = ManualClock.Start + 1234;

        var result = await fixture.RunAsync("$emit('saved', { id: 7, tags: ['a'] });");

        Expect.Success(result);
        var e = Assert.Single(result.Events);
        Assert.Equal("saved", e.Name);
        Assert.Equal("""{"id":7,"tags":["a"]}""", Expect.Json(e.Payload));
        Assert.Equal(ManualClock.Start + 1234, e.Timestamp);
    }

    [Fact]
    public async Task Emit_NoPayload_PayloadIsNull()
    {
        var result = await fixture.RunAsync("$emit('ping');");

        Expect.Success(result);
        Assert.Equal(["ping=null"], Expect.Events(result));
    }

    [Fact]
    public async Task Emit_Several_RecordedInCallOrder()
    {
        var result = await fixture.RunAsync("$emit('a', 1); $emit('b', 'two'); $emit('a', [3]);");

        Expect.Success(result);
        Assert.Equal(["a=1", "b=\"two\"", "a=[3]"], Expect.Events(result));
    }

    [Theory]
    [InlineData("$emit(42, {})")]
    [InlineData("$emit('x', () => 1)")]
    [InlineData("$emit('x', Symbol('s'))")]
    public async Task Emit_BadNameOrPayload_ThrowsTypeErrorAndRecordsNothing(string call)
    {
        var result = await fixture.RunAsync($"try {{ {call}; return 'no'; }} catch (e) {{ return e.name; }}");

        Assert.Equal("\"TypeError\"", Expect.Success(result));
        Assert.Empty(result.Events);
    }

    [Fact]
    public async Task Toast_NoLevel_EmitsToastWithLevelInfo()
    {
        var result = await fixture.RunAsync("$emit.toast('Saved!');");

        Expect.Success(result);
        Assert.Equal(["""toast={"message":"Saved!","level":"info"}"""], Expect.Events(result));
    }

    [Fact]
    public async Task Toast_GivenLevel_UsesIt()
    {
        var result = await fixture.RunAsync("$emit.toast('Failed', 'error');");

        Expect.Success(result);
        Assert.Equal(["""toast={"message":"Failed","level":"error"}"""], Expect.Events(result));
    }

    [Fact]
    public async Task Toast_NonStringMessage_IsConvertedToString()
    {
        var result = await fixture.RunAsync("$emit.toast(42);");

        Expect.Success(result);
        Assert.Equal(["""toast={"message":"42","level":"info"}"""], Expect.Events(result));
    }
}
