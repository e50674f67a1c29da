namespace Nexus.Sandbox.Runtime;

/// <summary>The calls the prelude makes to the host; the numbers are shared with <c>Prelude/prelude.js</c>.</summary>
internal enum HostOp
{
    Init = 1,
    StateGet = 2,
    StateSet = 3,
    StateDelete = 4,
    StateHas = 5,
    StateKeys = 6,
    Emit = 7,
    View = 8,
    Log = 9,
    Now = 10,
    Extension = 11,
}
