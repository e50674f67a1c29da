using System.Text.Json;
using BenchmarkDotNet.Attributes;
using MessagePack;
using MessagePack.Resolvers;
using Nexus.Kernel.Json;
using Nexus.Sandbox;

namespace Nexus.Benchmarks;

/// <summary>
/// JSON against MessagePack for values crossing the sandbox boundary: encoding on the host, and decoding inside the
/// guest, where JSON.parse is native C and a MessagePack decoder would be interpreted JavaScript.
/// </summary>
[MemoryDiagnoser]
public class BoundaryBenchmarks
{
    private const int Decodes = 100;
    private static readonly MessagePackSerializerOptions s_msgpack = ContractlessStandardResolver.Options;
    private readonly Panel _value = Panel.Sample();
    private byte[] _json = [];
    private byte[] _msgpack = [];
    private HandlerExecutor _executor = null!;
    private Nexus.Kernel.Execution.ExecutionRequest _guestJson = null!;
    private Nexus.Kernel.Execution.ExecutionRequest _guestMsgpack = null!;
    private Nexus.Kernel.Execution.ExecutionRequest _guestBaseline = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = JsonSerializer.SerializeToUtf8Bytes(_value, NexusJson.Options);
        _msgpack = MessagePackSerializer.Serialize(_value, s_msgpack);
        _executor = new HandlerExecutor();
        var args = NexusJson.Parse(JsonSerializer.Serialize(new
        {
            json = System.Text.Encoding.UTF8.GetString(_json),
            bytes = _msgpack.Select(b => (int)b).ToArray(),
        }));
        _guestJson = Requests.Create($"const s = $args.json; let n = 0; for (let i = 0; i < {Decodes}; i++) n += JSON.parse(s).items.length; return n;") with { Args = args };
        _guestMsgpack = Requests.Create($"{MsgpackDecoderJs} const b = new Uint8Array($args.bytes); let n = 0; for (let i = 0; i < {Decodes}; i++) n += decode(b).Items.length; return n;") with { Args = args };
        _guestBaseline = Requests.Create("const b = new Uint8Array($args.bytes); return $args.json.length + b.length;") with { Args = args };
    }

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] HostEncodeJson() => JsonSerializer.SerializeToUtf8Bytes(_value, NexusJson.Options);

    [Benchmark]
    public byte[] HostEncodeMessagePack() => MessagePackSerializer.Serialize(_value, s_msgpack);

    [Benchmark]
    public Panel? HostDecodeJson() => JsonSerializer.Deserialize<Panel>(_json, NexusJson.Options);

    [Benchmark]
    public Panel HostDecodeMessagePack() => MessagePackSerializer.Deserialize<Panel>(_msgpack, s_msgpack);

    [Benchmark(Description = "Guest: run that only receives the value (subtract from the next two)")]
    public Task GuestBaseline() => Run(_guestBaseline);

    [Benchmark(Description = "Guest: 100 x JSON.parse")]
    public Task GuestDecodeJson() => Run(_guestJson);

    [Benchmark(Description = "Guest: 100 x MessagePack decode")]
    public Task GuestDecodeMessagePack() => Run(_guestMsgpack);

    private async Task Run(Nexus.Kernel.Execution.ExecutionRequest request) =>
        Requests.EnsureNotFailed(await _executor.ExecuteAsync(request));

    /// <summary>A compact MessagePack decoder covering what the sample uses, as a guest would need one.</summary>
    private const string MsgpackDecoderJs = """
        function decode(b) {
          let p = 0;
          const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
          const td = (n) => { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(b[p + i]); p += n; return s; };
          const map = (n) => { const o = {}; for (let i = 0; i < n; i++) { const k = read(); o[k] = read(); } return o; };
          const arr = (n) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = read(); return a; };
          function read() {
            const t = b[p++];
            if (t < 0x80) return t;
            if ((t & 0xf0) === 0x80) return map(t & 0x0f);
            if ((t & 0xf0) === 0x90) return arr(t & 0x0f);
            if ((t & 0xe0) === 0xa0) return td(t & 0x1f);
            if (t >= 0xe0) return t - 0x100;
            switch (t) {
              case 0xc0: return null; case 0xc2: return false; case 0xc3: return true;
              case 0xcc: return b[p++];
              case 0xcd: { const v = dv.getUint16(p); p += 2; return v; }
              case 0xce: { const v = dv.getUint32(p); p += 4; return v; }
              case 0xcb: { const v = dv.getFloat64(p); p += 8; return v; }
              case 0xd9: { const n = b[p++]; return td(n); }
              case 0xda: { const n = dv.getUint16(p); p += 2; return td(n); }
              case 0xdc: { const n = dv.getUint16(p); p += 2; return arr(n); }
              case 0xde: { const n = dv.getUint16(p); p += 2; return map(n); }
              default: throw new Error('unsupported msgpack type ' + t);
            }
          }
          return read();
        }
        """;
}

/// <summary>A typical panel state: a list of items and a user.</summary>
public sealed record Panel(string Title, int Count, bool Busy, Item[] Items, User User)
{
    public static Panel Sample() => new(
        "Tasks", 42, false,
        Enumerable.Range(0, 50).Select(i => new Item(i, $"Task number {i}", i % 3 == 0, i * 1.5)).ToArray(),
        new User("ada", "Ada Lovelace", ["admin", "author"]));
}

/// <summary>One item of the sample state.</summary>
public sealed record Item(int Id, string Title, bool Done, double Weight);

/// <summary>The user of the sample state.</summary>
public sealed record User(string Id, string Name, string[] Roles);
