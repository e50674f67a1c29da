using System.Diagnostics;
using Assembly = System.Reflection.Assembly;
using System.Security.Cryptography;
using Wasmtime;

namespace Nexus.Sandbox.Engine;

/// <summary>How the engine module was obtained, for stats and the load benchmark.</summary>
public sealed record EngineLoadInfo(bool FromDiskCache, TimeSpan LoadTime, string CachePath);

/// <summary>
/// Loads the embedded QuickJS module, compiling it once per machine: the compiled form is cached on disk, keyed by
/// the engine's hash, the Wasmtime version and the engine configuration, because it only loads into an identically
/// configured engine.
/// </summary>
internal static class EngineModuleLoader
{
    private const string ResourceName = "Nexus.Sandbox.quickjs.wasm";

    public static (Module Module, EngineLoadInfo Info) Load(Wasmtime.Engine engine, string configKey, string cacheDirectory)
    {
        var watch = Stopwatch.StartNew();
        var wasm = ReadEmbeddedEngine();
        var cachePath = Path.Combine(cacheDirectory, $"quickjs-{CacheKey(wasm, configKey)}.cwasm");
        if (File.Exists(cachePath))
        {
            try
            {
                var cached = Module.DeserializeFile(engine, "quickjs", cachePath);
                return (cached, new EngineLoadInfo(true, watch.Elapsed, cachePath));
            }
            catch (WasmtimeException)
            {
                // A cache file from a crashed write or another build: compile afresh and replace it below.
                File.Delete(cachePath);
            }
        }
        var module = Module.FromBytes(engine, "quickjs", wasm);
        TryWriteCache(module, cachePath);
        return (module, new EngineLoadInfo(false, watch.Elapsed, cachePath));
    }

    private static byte[] ReadEmbeddedEngine()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                "The QuickJS engine is not embedded in Nexus.Sandbox; run scripts/setup.sh and rebuild.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static string CacheKey(byte[] wasm, string configKey)
    {
        var version = typeof(Module).Assembly.GetName().Version?.ToString() ?? "unknown";
        var material = $"{Convert.ToHexString(SHA256.HashData(wasm))}|wasmtime {version}|{configKey}";
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(material)))[..32].ToLowerInvariant();
    }

    private static void TryWriteCache(Module module, string cachePath)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cachePath)!);
            var temp = $"{cachePath}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, module.Serialize());
            File.Move(temp, cachePath, overwrite: true);
        }
        catch (IOException)
        {
            // The cache only saves start-up time; a read-only or full disk must not stop the sandbox.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
