using System.Text;
using System.Text.RegularExpressions;

namespace Nexus.Sandbox.Runtime;

/// <summary>
/// JSON text from the guest, made safe to read as .NET text. A JavaScript string may hold lone surrogates, which
/// <c>JSON.stringify</c> writes as <c>\udXXX</c> escapes; System.Text.Json parses those but cannot read them back as
/// strings, so a result holding one would fail wherever it is serialised. They become U+FFFD, as invalid UTF-8 does.
/// </summary>
internal static partial class GuestJson
{
    public static string Sanitize(string json) =>
        json.Contains("\\u", StringComparison.Ordinal) ? LoneSurrogate().Replace(json, "\\ufffd") : json;

    public static ReadOnlySpan<byte> Sanitize(ReadOnlySpan<byte> json) =>
        json.IndexOf("\\u"u8) < 0 ? json : Encoding.UTF8.GetBytes(Sanitize(Encoding.UTF8.GetString(json)));

    // An escape that starts at an unescaped backslash: a high surrogate without a low one after it, or a low surrogate
    // without a high one before it.
    [GeneratedRegex("""
        (?<=(?:^|[^\\])(?:\\\\)*)
        (?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})
          |(?<!(?:^|[^\\])(?:\\\\)*\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex LoneSurrogate();
}
