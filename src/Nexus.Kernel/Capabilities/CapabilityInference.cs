using Acornima;
using Acornima.Ast;

namespace Nexus.Kernel.Capabilities;

/// <summary>Infers the capabilities a parsed handler visibly uses; a global that escapes gets its wildcard.</summary>
internal static class CapabilityInference
{
    private static readonly HashSet<string> s_stateReads = ["get", "has"];
    private static readonly HashSet<string> s_stateWrites = ["set", "delete"];
    private static readonly HashSet<string> s_viewMethods = ["setFilter", "scrollTo", "focus", "command"];
    private static readonly HashSet<string> s_extHelpers = ["exists", "methods", "list"];

    public static IEnumerable<Capability> Infer(Node root)
    {
        var found = new HashSet<Capability>();
        var pending = new Stack<(Node Node, Node? Parent)>();
        pending.Push((root, null));
        while (pending.Count > 0)
        {
            var (node, parent) = pending.Pop();
            Inspect(node, parent, found);
            foreach (var child in node.ChildNodes)
            {
                pending.Push((child, node));
            }
        }
        return found;
    }

    private static void Inspect(Node node, Node? parent, HashSet<Capability> found)
    {
        switch (node)
        {
            case MemberExpression { Object: Identifier obj } member:
                InspectMember(obj.Name, member, parent, found);
                break;
            case CallExpression { Callee: Identifier { Name: "$emit" } } call:
                found.Add(new(CapabilityKind.EventsEmit, LiteralArgument(call, 0) ?? Capability.Wildcard));
                break;
            case BinaryExpression { Operator: Operator.In, Right: Identifier { Name: "$state" } } binary:
                found.Add(new(CapabilityKind.StateRead, StringValue(binary.Left) ?? Capability.Wildcard));
                break;
            case Identifier id when IsEscape(id, parent):
                AddWildcards(id.Name, found);
                break;
        }
    }

    private static void InspectMember(string global, MemberExpression member, Node? parent, HashSet<Capability> found)
    {
        var name = PropertyName(member);
        var call = parent is CallExpression c && c.Callee == member ? c : null;
        switch (global)
        {
            case "$state" when name is not null && call is not null && IsStateMethod(name):
                var key = LiteralArgument(call, 0);
                if (name == "keys")
                {
                    found.Add(new(CapabilityKind.StateRead, Capability.Wildcard));
                }
                if (s_stateReads.Contains(name) || name == "update")
                {
                    found.Add(new(CapabilityKind.StateRead, key ?? Capability.Wildcard));
                }
                if (s_stateWrites.Contains(name) || name == "update")
                {
                    found.Add(new(CapabilityKind.StateWrite, key ?? Capability.Wildcard));
                }
                break;
            case "$state":
                var target = name ?? Capability.Wildcard;
                var (reads, writes) = parent switch
                {
                    AssignmentExpression a when a.Left == member => (a.Operator != Operator.Assignment, true),
                    UpdateExpression => (true, true),
                    UnaryExpression { Operator: Operator.Delete } => (false, true),
                    // Destructuring targets: [$state.a, $state.b] = ..., ({ k: $state.a } = ...), for ($state.a of ...)
                    ArrayPattern or RestElement => (false, true),
                    AssignmentProperty p when p.Value == member => (false, true),
                    AssignmentPattern p when p.Left == member => (false, true),
                    ForOfStatement f when f.Left == member => (false, true),
                    ForInStatement f when f.Left == member => (false, true),
                    _ => (true, false),
                };
                if (reads)
                {
                    found.Add(new(CapabilityKind.StateRead, target));
                }
                if (writes)
                {
                    found.Add(new(CapabilityKind.StateWrite, target));
                }
                break;
            case "$emit" when name == "toast":
                found.Add(new(CapabilityKind.EventsEmit, "toast"));
                break;
            case "$view" when name is not null && s_viewMethods.Contains(name):
                var viewId = call is null ? null : LiteralArgument(call, 0);
                found.Add(new(CapabilityKind.ViewUpdate, viewId ?? Capability.Wildcard));
                break;
            case "$ext" when name is null || !s_extHelpers.Contains(name):
                found.Add(new(CapabilityKind.Extension, name ?? Capability.Wildcard));
                break;
        }
    }

    private static bool IsStateMethod(string name) =>
        s_stateReads.Contains(name) || s_stateWrites.Contains(name) || name is "keys" or "update";

    private static bool IsEscape(Identifier id, Node? parent)
    {
        if (id.Name is not ("$state" or "$emit" or "$view" or "$ext"))
        {
            return false;
        }
        return parent switch
        {
            MemberExpression m when m.Object == id => false,
            MemberExpression m when m.Property == id && !m.Computed => false,
            CallExpression c when c.Callee == id && id.Name == "$emit" => false,
            BinaryExpression { Operator: Operator.In } b when b.Right == id => false,
            _ => true,
        };
    }

    private static void AddWildcards(string global, HashSet<Capability> found)
    {
        switch (global)
        {
            case "$state":
                found.Add(new(CapabilityKind.StateRead, Capability.Wildcard));
                found.Add(new(CapabilityKind.StateWrite, Capability.Wildcard));
                break;
            case "$emit":
                found.Add(new(CapabilityKind.EventsEmit, Capability.Wildcard));
                break;
            case "$view":
                found.Add(new(CapabilityKind.ViewUpdate, Capability.Wildcard));
                break;
            case "$ext":
                found.Add(new(CapabilityKind.Extension, Capability.Wildcard));
                break;
        }
    }

    private static string? PropertyName(MemberExpression member) => member switch
    {
        { Computed: false, Property: Identifier id } => id.Name,
        { Computed: true } => StringValue(member.Property),
        _ => null,
    };

    private static string? LiteralArgument(CallExpression call, int index) =>
        call.Arguments.Count > index ? StringValue(call.Arguments[index]) : null;

    private static string? StringValue(Node node) => node switch
    {
        StringLiteral s => s.Value,
        TemplateLiteral { Expressions.Count: 0, Quasis.Count: 1 } t => t.Quasis[0].Value.Cooked,
        _ => null,
    };
}
