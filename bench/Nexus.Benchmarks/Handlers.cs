namespace Nexus.Benchmarks;

/// <summary>The handlers the benchmarks run.</summary>
internal static class Handlers
{
    public const string Trivial = "return 1;";

    public const string TwentyStateOps = """
        for (let i = 0; i < 5; i++) {
          $state.set('k' + i, i);
          $state.get('k' + i);
          $state.has('k' + i);
          $state.count = ($state.count ?? 0) + 1;
        }
        return $state.count;
        """;

    public const string FiveSuspensions = """
        let total = 0;
        for (let i = 0; i < 5; i++) {
          const r = await $ext.http.get('https://example.test/' + i);
          total += r.n;
          $state.set('step', i);
        }
        return total;
        """;

    public const string Counter = "$state.count = ($state.count ?? 0) + 1; return $state.count;";

    /// <summary>The same as <see cref="CountAfterFetch"/> with the extension call's answer made up.</summary>
    public const string CountWithoutFetch = """
        const r = { status: 200 };
        $state.count = ($state.count ?? 0) + 1;
        return r.status;
        """;

    /// <summary>Suspends once on <c>$args.url</c>, then counts.</summary>
    public const string CountAfterFetch = """
        const r = await $ext.http.get($args.url);
        $state.count = ($state.count ?? 0) + 1;
        return r.status;
        """;
}
