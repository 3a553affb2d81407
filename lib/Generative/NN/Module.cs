using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// The base of every layer and model (PyTorch's and TorchSharp's <c>nn.Module</c>): a tree of modules that own
/// parameters (tensors trained by an optimiser) and buffers (state saved with the model but not trained, such as
/// batch norm's running statistics), with a training/evaluation switch.
/// </summary>
/// <remarks>
/// <para>
/// Registration needs no ceremony: the fields of a module are found by reflection, in declaration order (base class
/// first), and cached per type. A <see cref="Tensor"/> field whose tensor requires gradients is a parameter; a
/// <see cref="Tensor"/> field marked <see cref="BufferAttribute"/> is a buffer; a <see cref="Module"/> field is a
/// submodule; a field holding a collection of modules (an array, a list) registers each element as a submodule named
/// by its index (<c>layers.0</c>, <c>layers.1</c>, ...), and a collection of tensors likewise. Auto-properties work
/// too (their backing fields are found; put <c>[field: Buffer]</c> on a buffer property). Other fields, and fields
/// marked <see cref="NotRegisteredAttribute"/>, are ignored. Whether a tensor field is a parameter is decided the
/// first time the module's members are listed and kept, so switching <see cref="Tensor.RequiresGrad"/> off later (to
/// freeze it) keeps it a parameter that is still saved and loaded.
/// </para>
/// <para>
/// A field's name becomes the member's name in snake_case, as PyTorch spells it, so that saved files use PyTorch's
/// keys: <c>_runningMean</c> and <c>RunningMean</c> become <c>running_mean</c>, <c>WeightIh</c> becomes
/// <c>weight_ih</c>. Nested names are joined with dots: <c>encoder.0.weight</c>. <see cref="RegisterParameter"/>,
/// <see cref="RegisterBuffer"/> and <see cref="RegisterModule"/> add members under explicit names (listed after the
/// discovered fields, in call order).
/// </para>
/// </remarks>
public abstract partial class Module
{
    private static readonly ConcurrentDictionary<Type, FieldMember[]> s_fieldsByType = new();

    private readonly List<(string Name, MemberKind Kind, object Value)> _registered = [];

    // Per instance: which discovered tensors are parameters, decided the first time each is seen (see remarks).
    private readonly Dictionary<string, bool> _isParameter = new(StringComparer.Ordinal);

    /// <summary>True in training mode (the default), false in evaluation mode; read by Dropout and BatchNorm.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Sets training mode on this module and every submodule (PyTorch's <c>train()</c>); returns this module.</summary>
    public Module Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules())
        {
            module.Training = training;
        }
        return this;
    }

    /// <summary>Sets evaluation mode on this module and every submodule (PyTorch's <c>eval()</c>); returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Every parameter of this module and its submodules with its dotted name, this module's own first, then
    /// each submodule's in registration order (PyTorch's <c>named_parameters()</c>). A tensor shared by several
    /// modules is listed once.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => NamedTensors(MemberKind.Parameter, removeDuplicates: true);

    /// <summary>The parameters of <see cref="NamedParameters"/> without their names: what an optimiser takes.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(pair => pair.Parameter);

    /// <summary>Every buffer (saved, not trained) of this module and its submodules with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => NamedTensors(MemberKind.Buffer, removeDuplicates: true);

    /// <summary>The buffers of <see cref="NamedBuffers"/> without their names.</summary>
    public IEnumerable<Tensor> Buffers() => NamedBuffers().Select(pair => pair.Buffer);

    /// <summary>This module (named "") and every submodule below it, depth first in registration order, each once
    /// (PyTorch's <c>named_modules()</c>).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return Walk("", this, seen);

        static IEnumerable<(string, Module)> Walk(string prefix, Module module, HashSet<Module> seen)
        {
            if (!seen.Add(module))
            {
                yield break;
            }
            yield return (prefix, module);
            foreach (var (name, child) in module.NamedChildren())
            {
                foreach (var item in Walk(Join(prefix, name), child, seen))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>The modules directly below this one with their names (PyTorch's <c>named_children()</c>).</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (name, kind, value) in Members())
        {
            if (kind == MemberKind.Module)
            {
                yield return (name, (Module)value);
            }
        }
    }

    /// <summary>The modules directly below this one.</summary>
    public IEnumerable<Module> Children() => NamedChildren().Select(pair => pair.Module);

    /// <summary>Forgets the gradients of every parameter (sets each <see cref="Tensor.Grad"/> to null).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters())
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>The number of trainable values: the sum of the element counts of <see cref="Parameters"/>.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Count);

    /// <summary>Adds <paramref name="parameter"/> under <paramref name="name"/> and makes it require gradients.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.RequiresGrad = true;
        Register(name, MemberKind.Parameter, parameter);
        return parameter;
    }

    /// <summary>Adds <paramref name="buffer"/> (state saved with the module, not trained) under <paramref name="name"/>.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Register(name, MemberKind.Buffer, buffer);
        return buffer;
    }

    /// <summary>Adds <paramref name="module"/> as a submodule under <paramref name="name"/>.</summary>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        Register(name, MemberKind.Module, module);
        return module;
    }

    /// <summary>Marks <paramref name="tensor"/> as a parameter (sets <see cref="Tensor.RequiresGrad"/>) and returns it,
    /// for field initialisers: <c>Weight = Parameter(Tensor.Zeros(out, in))</c> (PyTorch's <c>nn.Parameter</c>).</summary>
    protected static Tensor Parameter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.RequiresGrad = true;
        return tensor;
    }

    /// <summary>A one-line description of this module's configuration for <see cref="ToString"/>, e.g.
    /// <c>inFeatures: 784, outFeatures: 400, bias: true</c> (PyTorch's <c>extra_repr</c>).</summary>
    protected virtual string ExtraRepresentation => "";

    /// <summary>The module tree as PyTorch prints it: the type name with its configuration, then each submodule
    /// indented under its name.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder, this, indent: "");
        return builder.ToString();

        static void Append(StringBuilder builder, Module module, string indent)
        {
            builder.Append(module.GetType().Name).Append('(').Append(module.ExtraRepresentation);
            var children = module.NamedChildren().ToList();
            if (children.Count > 0)
            {
                builder.Append('\n');
                foreach (var (name, child) in children)
                {
                    builder.Append(indent).Append("  (").Append(name).Append("): ");
                    Append(builder, child, indent + "  ");
                    builder.Append('\n');
                }
                builder.Append(indent);
            }
            builder.Append(')');
        }
    }

    /// <summary>Tensors of one kind over the whole tree, own members first then each submodule's.</summary>
    private IEnumerable<(string Name, Tensor Tensor)> NamedTensors(MemberKind kind, bool removeDuplicates)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, memberKind, value) in module.Members())
            {
                if (memberKind == kind && (!removeDuplicates || seen.Add((Tensor)value)))
                {
                    yield return (Join(prefix, name), (Tensor)value);
                }
            }
        }
    }

    /// <summary>This module's own members (not its submodules' members): discovered fields, then explicit
    /// registrations. Tensors that are neither parameters nor buffers, and null fields, are skipped.</summary>
    internal IEnumerable<(string Name, MemberKind Kind, object Value)> Members()
    {
        foreach (var field in FieldsOf(GetType()))
        {
            var value = field.Field.GetValue(this);
            if (value is null)
            {
                continue;
            }
            switch (field.Kind)
            {
                case FieldKind.Tensor:
                    if (Classify(field.Name, (Tensor)value, field.IsBuffer) is { } kind)
                    {
                        yield return (field.Name, kind, value);
                    }
                    break;
                case FieldKind.Module:
                    yield return (field.Name, MemberKind.Module, value);
                    break;
                case FieldKind.ModuleCollection:
                    var m = 0;
                    foreach (var item in (IEnumerable)value)
                    {
                        if (item is Module module)
                        {
                            yield return ($"{field.Name}.{m}", MemberKind.Module, module);
                        }
                        m++;
                    }
                    break;
                case FieldKind.TensorCollection:
                    var t = 0;
                    foreach (var item in (IEnumerable)value)
                    {
                        var name = $"{field.Name}.{t++}";
                        if (item is Tensor tensor && Classify(name, tensor, field.IsBuffer) is { } itemKind)
                        {
                            yield return (name, itemKind, tensor);
                        }
                    }
                    break;
            }
        }
        foreach (var member in _registered)
        {
            yield return member;
        }
    }

    private MemberKind? Classify(string name, Tensor tensor, bool isBuffer)
    {
        if (isBuffer)
        {
            return MemberKind.Buffer;
        }
        if (!_isParameter.TryGetValue(name, out var isParameter))
        {
            isParameter = tensor.RequiresGrad;
            _isParameter[name] = isParameter;
        }
        return isParameter ? MemberKind.Parameter : null;
    }

    private void Register(string name, MemberKind kind, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.'))
        {
            throw new ArgumentException($"{GetType().Name}: member name '{name}' must not contain '.', which separates nested names.", nameof(name));
        }
        if (FieldsOf(GetType()).Any(f => f.Name == name || name.StartsWith(f.Name + ".", StringComparison.Ordinal))
            || _registered.Any(r => r.Name == name))
        {
            throw new ArgumentException($"{GetType().Name}: a member named '{name}' is already registered.", nameof(name));
        }
        _registered.Add((name, kind, value));
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    internal enum MemberKind
    {
        Parameter,
        Buffer,
        Module,
    }

    private enum FieldKind
    {
        Tensor,
        Module,
        ModuleCollection,
        TensorCollection,
    }

    private sealed record FieldMember(FieldInfo Field, string Name, FieldKind Kind, bool IsBuffer);

    /// <summary>The registrable fields of <paramref name="type"/> and its base classes up to <see cref="Module"/>,
    /// base first, each class's in declaration order.</summary>
    private static FieldMember[] FieldsOf(Type type) => s_fieldsByType.GetOrAdd(type, static t =>
    {
        var chain = new List<Type>();
        for (var current = t; current is not null && current != typeof(Module); current = current.BaseType)
        {
            chain.Add(current);
        }
        chain.Reverse();
        var members = new List<FieldMember>();
        foreach (var declaring in chain)
        {
            var fields = declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .OrderBy(f => f.MetadataToken);
            foreach (var field in fields)
            {
                if (field.IsDefined(typeof(NotRegisteredAttribute)) || KindOf(field.FieldType) is not { } kind)
                {
                    continue;
                }
                var isBuffer = field.IsDefined(typeof(BufferAttribute));
                if (isBuffer && kind is not (FieldKind.Tensor or FieldKind.TensorCollection))
                {
                    throw new InvalidOperationException($"{declaring.Name}.{field.Name}: [Buffer] applies to Tensor fields only.");
                }
                members.Add(new FieldMember(field, MemberName(field.Name), kind, isBuffer));
            }
        }
        var duplicate = members.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"{t.Name}: fields {string.Join(" and ", duplicate.Select(m => m.Field.Name))} both map to the member name '{duplicate.Key}'.");
        }
        return members.ToArray();
    });

    private static FieldKind? KindOf(Type type)
    {
        if (type == typeof(Tensor))
        {
            return FieldKind.Tensor;
        }
        if (typeof(Module).IsAssignableFrom(type))
        {
            return FieldKind.Module;
        }
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }
        var element = type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type)
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                .Select(i => i.GetGenericArguments()[0])
                .FirstOrDefault(e => e == typeof(Tensor) || typeof(Module).IsAssignableFrom(e));
        if (element == typeof(Tensor))
        {
            return FieldKind.TensorCollection;
        }
        return element is not null && typeof(Module).IsAssignableFrom(element) ? FieldKind.ModuleCollection : null;
    }

    /// <summary>A field's name as PyTorch would spell the attribute: the auto-property's name for a backing field,
    /// leading underscores dropped, camelCase and PascalCase turned into snake_case (<c>_runningMean</c> ->
    /// <c>running_mean</c>, <c>WeightIh</c> -> <c>weight_ih</c>, <c>fc1</c> stays <c>fc1</c>).</summary>
    internal static string MemberName(string fieldName)
    {
        var name = fieldName;
        if (name.StartsWith('<') && name.IndexOf('>') is var end and > 0)
        {
            name = name[1..end];
        }
        name = name.TrimStart('_');
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var afterLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var endsAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if ((afterLowerOrDigit || endsAcronym) && builder.Length > 0 && builder[^1] != '_')
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}

/// <summary>
/// A module with a typed forward pass (TorchSharp's <c>Module&lt;T, TResult&gt;</c>): <c>var y = layer.Forward(x);</c>.
/// </summary>
/// <typeparam name="TIn">The input, usually a <see cref="Tensor"/>.</typeparam>
/// <typeparam name="TOut">The output, usually a <see cref="Tensor"/>.</typeparam>
public abstract class Module<TIn, TOut> : Module
{
    /// <summary>Computes the module's output for <paramref name="input"/>, recording the autograd graph.</summary>
    public abstract TOut Forward(TIn input);
}

/// <summary>Marks a <see cref="Tensor"/> field of a <see cref="Module"/> as a buffer: saved and loaded with the
/// module's parameters but not trained (PyTorch's <c>register_buffer</c>), e.g. batch norm's running mean or a
/// masked layer's mask. On an auto-property write <c>[field: Buffer]</c>.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class BufferAttribute : Attribute
{
}

/// <summary>Keeps a field of a <see cref="Module"/> out of parameter, buffer and submodule discovery.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class NotRegisteredAttribute : Attribute
{
}
