using Nexus.Kernel.Execution;
using Nexus.Kernel.Json;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary>Suspension at extension calls and resumption by replaying the run's journal.</summary>
public sealed class SuspensionTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Fact]
    public async Task Resume_OneSuspension_CompletesWithTheOutcomeValue()
    {
        var request = Handlers.Request("""
            $state.status = 'loading';
            const page = await $ext.http.get('https://example.test');
            $state.status = 'done';
            return page.title;
            """);

        var suspended = await fixture.RunAsync(request);
        Expect.Suspended(suspended);
        var resumed = await fixture.RunAsync(Handlers.Resume(
            request, suspended, Handlers.Ok("""{"title":"Hi"}"""), """{"status":"loading"}"""));

        Assert.Equal("\"Hi\"", Expect.Success(resumed));
        Assert.Equal(["set:status=\"done\""], Expect.Mutations(resumed));
        Assert.Equal(suspended.ExecutionId, resumed.ExecutionId);
        Assert.Equal(new EffectCounts(1, 0, 0, 0), resumed.EffectOffsets);
        Assert.Null(resumed.Suspension);
    }

    [Fact]
    public async Task Resume_TwoSuspensions_EachResultReportsOnlyItsNewEffects()
    {
        var request = Handlers.Request("""
            $emit('start');
            const a = await $ext.db.query('a');
            $state.a = a; $log('got a');
            const b = await $ext.db.query('b');
            $state.b = b; $view.focus('done');
            return a + b;
            """);

        var first = await fixture.RunAsync(request);
        Assert.Equal("""["a"]""", Expect.Json(Expect.Suspended(first).Args));
        var second = await fixture.RunAsync(Handlers.Resume(request, first, Handlers.Ok("1")));
        Assert.Equal("""["b"]""", Expect.Json(Expect.Suspended(second).Args));
        var third = await fixture.RunAsync(Handlers.Resume(request, second, Handlers.Ok("2"), """{"a":1}"""));

        Assert.Equal(["start=null"], Expect.Events(first));
        Assert.Equal(new EffectCounts(0, 0, 0, 0), first.EffectOffsets);
        Assert.Equal(["set:a=1"], Expect.Mutations(second));
        Assert.Empty(second.Events);
        Assert.Equal("got a", Assert.Single(second.Logs).Message);
        Assert.Equal(new EffectCounts(0, 1, 0, 0), second.EffectOffsets);
        Assert.Equal("3", Expect.Success(third));
        Assert.Equal(["set:b=2"], Expect.Mutations(third));
        Assert.Equal("done", Assert.Single(third.ViewCommands).ViewId);
        Assert.Empty(third.Logs);
        Assert.Equal(new EffectCounts(1, 1, 0, 1), third.EffectOffsets);
        Assert.Equal(2, third.Journal!.Suspensions);
    }

    [Fact]
    public async Task Resume_FiveSuspensions_EachHopReportsItsOwnEffectsOnce()
    {
        var request = Handlers.Request("""
            const results = [];
            for (let i = 0; i < 5; i++) {
              $state.step = i;
              $emit('progress', { i });
              results.push(await $ext.db.query(i));
            }
            $state.done = true;
            return results;
            """);
        var state = Handlers.State("{}");
        var allMutations = new List<string>();
        var allEvents = new List<string>();

        var result = await fixture.RunAsync(request);
        for (var hop = 0; hop < 5; hop++)
        {
            Assert.Equal($"[{hop}]", Expect.Json(Expect.Suspended(result).Args));
            Assert.Equal(new EffectCounts(hop, hop, 0, 0), result.EffectOffsets);
            Assert.Equal([$"set:step={hop}"], Expect.Mutations(result));
            Assert.Equal([$$"""progress={"i":{{hop}}}"""], Expect.Events(result));
            Assert.Equal(hop + 1, result.Journal!.Suspensions);
            allMutations.AddRange(Expect.Mutations(result));
            allEvents.AddRange(Expect.Events(result));
            state = Handlers.Apply(state, result.StateMutations);
            var resume = request with
            {
                Journal = result.Journal.WithOutcome(Handlers.Ok((hop * 10).ToString())),
                State = state,
            };
            result = await fixture.RunAsync(resume);
        }

        Assert.Equal("[0,10,20,30,40]", Expect.Success(result));
        Assert.Equal(["set:done=true"], Expect.Mutations(result));
        Assert.Empty(result.Events);
        Assert.Equal(new EffectCounts(5, 5, 0, 0), result.EffectOffsets);
        Assert.Equal(5, allMutations.Count);
        Assert.Equal(5, allEvents.Distinct().Count());
    }

    [Fact]
    public async Task Resume_StateChangedMeanwhile_ReplayedReadsKeepRecordedValuesAndNewReadsSeeCurrentState()
    {
        var request = Handlers.Request("""
            const before = $state.get('count');
            const seenBefore = 'extra' in $state;
            await $ext.db.query();
            return { before, seenBefore, after: $state.get('count'), seenAfter: 'extra' in $state };
            """, """{"count":1}""");
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(
            request, suspended, Handlers.Ok("null"), """{"count":7,"extra":true}"""));

        Assert.Equal("""{"before":1,"seenBefore":false,"after":7,"seenAfter":true}""", Expect.Success(resumed));
    }

    [Fact]
    public async Task Resume_PropertyStyleIncrements_ApplyOnTopOfCurrentState()
    {
        var request = Handlers.Request(
            "$state.count++; await $ext.db.query(); $state.count++; return $state.count;", """{"count":1}""");
        var suspended = await fixture.RunAsync(request);
        Assert.Equal(["set:count=2"], Expect.Mutations(suspended));

        // Another writer moved count on to 10 after this run's first increment was applied.
        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("0"), """{"count":10}"""));

        Assert.Equal("11", Expect.Success(resumed));
        Assert.Equal(["set:count=11"], Expect.Mutations(resumed));
    }

    [Fact]
    public async Task Resume_RejectedOutcome_IsCaughtAndFinallyRuns()
    {
        var request = Handlers.Request("""
            try {
              await $ext.http.get('https://down.test');
              return 'no';
            } catch (e) {
              $state.error = { message: e.message, code: e.code, extension: e.extension, method: e.method };
              return 'caught';
            } finally {
              $emit('cleanup');
            }
            """);
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(
            request, suspended, ExtensionOutcome.Fail("connection refused", ErrorCodes.ExtensionError)));

        Assert.Equal("\"caught\"", Expect.Success(resumed));
        Assert.Equal(
            ["""set:error={"message":"connection refused","code":"EXTENSION_ERROR","extension":"http","method":"get"}"""],
            Expect.Mutations(resumed));
        Assert.Equal(["cleanup=null"], Expect.Events(resumed));
    }

    [Fact]
    public async Task Resume_TimedOutOutcome_RejectsWithItsCode()
    {
        var request = Handlers.Request("try { await $ext.db.query(); } catch (e) { return [e.code, e.message]; }");
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(
            request, suspended, ExtensionOutcome.Fail("Extension call timed out", ErrorCodes.ExtensionTimeout)));

        Assert.Equal("""["EXTENSION_TIMEOUT","Extension call timed out"]""", Expect.Success(resumed));
    }

    [Theory]
    [InlineData("EXTENSION_TIMEOUT", "EXTENSION_TIMEOUT")]
    [InlineData(null, "EXTENSION_ERROR")]
    public async Task Resume_RejectedOutcomeUncaught_EndsRunWithTheOutcomeCode(string? code, string expected)
    {
        var request = Handlers.Request("$state.a = 1;\nconst r = await $ext.db.query();\n$state.b = r;");
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(
            request, suspended, ExtensionOutcome.Fail("database unavailable", code)));

        var error = Expect.Error(resumed, expected);
        Assert.Equal("database unavailable", error.Message);
    }

    [Fact]
    public async Task Resume_PromiseAllOfTwoCalls_SuspendsOncePerCall()
    {
        var request = Handlers.Request("""
            const [a, b] = await Promise.all([$ext.db.query('a'), $ext.http.get('b')]);
            return a + b;
            """);

        var first = await fixture.RunAsync(request);
        var firstCall = Expect.Suspended(first);
        Assert.Equal(2, first.Journal!.Entries.Count(e => e.Op == JournalOps.Extension && e.Outcome is null));
        var second = await fixture.RunAsync(Handlers.Resume(request, first, Handlers.Ok("1")));
        var secondCall = Expect.Suspended(second);
        var done = await fixture.RunAsync(Handlers.Resume(request, second, Handlers.Ok("2")));

        Assert.Equal(("db", "query", """["a"]"""), (firstCall.ExtensionName, firstCall.Method, Expect.Json(firstCall.Args)));
        Assert.Equal(("http", "get", """["b"]"""), (secondCall.ExtensionName, secondCall.Method, Expect.Json(secondCall.Args)));
        Assert.NotEqual(firstCall.SuspensionId, secondCall.SuspensionId);
        Assert.Equal("3", Expect.Success(done));
        Assert.Equal(2, done.Journal!.Suspensions);
    }

    [Fact]
    public async Task Resume_WithoutAnOutcome_SuspendsAgainAtTheSameCallWithNoNewEffects()
    {
        var request = Handlers.Request("$state.a = 1; $emit('e'); await $ext.db.query(); return 1;");
        var suspended = await fixture.RunAsync(request);

        var again = await fixture.RunAsync(request with { Journal = suspended.Journal });

        Assert.Equal(Expect.Suspended(suspended).SuspensionId, Expect.Suspended(again).SuspensionId);
        Assert.Empty(again.StateMutations);
        Assert.Empty(again.Events);
        Assert.Equal(new EffectCounts(1, 1, 0, 0), again.EffectOffsets);
    }

    [Fact]
    public async Task Resume_HandlerCallsExtensionWithOtherArguments_FailsWithNondeterminism()
    {
        var request = Handlers.Request("await $ext.db.query('v1'); return 1;");
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("0")) with
        {
            Handler = "$state.x = 1; await $ext.db.query('v2'); return 1;",
        });

        var error = Expect.Error(resumed, ErrorCodes.Nondeterminism);
        Assert.Contains("different path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_HandlerMakesAnotherHostCallFirst_FailsWithNondeterminism()
    {
        var request = Handlers.Request("const r = await $ext.db.query(); return r;");
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("0")) with
        {
            Handler = "const n = $state.count; const r = await $ext.db.query(); return r;",
        });

        Expect.Error(resumed, ErrorCodes.Nondeterminism);
    }

    [Fact]
    public async Task Resume_HandlerNoLongerMakesTheRecordedCall_FailsWithNondeterminism()
    {
        var request = Handlers.Request("const r = await $ext.db.query(); return r;");
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("0")) with
        {
            Handler = "return 0;",
        });

        var error = Expect.Error(resumed, ErrorCodes.Nondeterminism);
        Assert.Contains("finished before replaying", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_JournalRecordsAnotherCall_FailsWithNondeterminism()
    {
        var request = Handlers.Request("$state.get('a'); const r = await $ext.db.query(); return r;");
        var suspended = await fixture.RunAsync(request);
        var journal = suspended.Journal!.WithOutcome(Handlers.Ok("0"));
        var tampered = journal with
        {
            Entries = [journal.Entries[0] with { Key = "b" }, .. journal.Entries.Skip(1)],
        };

        var resumed = await fixture.RunAsync(request with { Journal = tampered });

        var error = Expect.Error(resumed, ErrorCodes.Nondeterminism);
        Assert.Contains("state.get('b')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journal_RoundTripThroughJson_ResumesTheRun()
    {
        var request = Handlers.Request("const v = await $ext.db.query({ q: 1 }); return [v, Math.random() < 1];");
        var suspended = await fixture.RunAsync(request);
        var json = System.Text.Json.JsonSerializer.Serialize(suspended.Journal, NexusJson.Options);
        var journal = System.Text.Json.JsonSerializer.Deserialize<Journal>(json, NexusJson.Options)!;

        var resumed = await fixture.RunAsync(request with { Journal = journal.WithOutcome(Handlers.Ok("\"v\"")) });

        Assert.Equal("""["v",true]""", Expect.Success(resumed));
    }
}
