using Generative.Tensors;

namespace Generative.NN;

// Saving and loading a module's state (parameters and buffers by dotted name) as safetensors, the format PyTorch and
// TorchSharp read. Loading validates every tensor before copying any, so a file that does not fit leaves the module
// exactly as it was.
public abstract partial class Module
{
    /// <summary>
    /// The module's state: every parameter and buffer by dotted name (PyTorch's <c>state_dict()</c>), own members first,
    /// then each submodule's. The tensors are the module's own (detached views), not copies.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, kind, value) in module.Members())
            {
                if (kind != MemberKind.Module)
                {
                    state[Join(prefix, name)] = ((Tensor)value).Detach();
                }
            }
        }
        return state;
    }

    /// <summary>
    /// Writes <see cref="StateDict"/> to <paramref name="path"/> as a safetensors file (float32, PyTorch's key names).
    /// Atomic: written to a temporary file beside it and then renamed, so a failure leaves any previous file intact.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = StateDict().ToDictionary(pair => pair.Key, pair => (pair.Value.Shape, pair.Value.ToArray()), StringComparer.Ordinal);
        Safetensors.Save(path, tensors);
    }

    /// <summary>
    /// Reads a safetensors file written by <see cref="Save"/> (or by PyTorch's <c>safetensors.torch.save_file</c> of a
    /// state dict) into this module's parameters and buffers, in place (PyTorch's <c>load_state_dict</c>).
    /// </summary>
    /// <remarks>Every tensor is checked before any is copied: when something does not fit, nothing is changed. With
    /// <paramref name="strict"/> (the default) tensors the module has but the file lacks (missing) and tensors the file
    /// has but the module lacks (unexpected) are errors; without it they are skipped and reported in the result.
    /// A shape mismatch is always an error.</remarks>
    /// <returns>The missing and unexpected names (both empty after a strict load).</returns>
    /// <exception cref="InvalidDataException">The file is malformed, or it does not fit the module; the message names
    /// the file and every offending tensor with its shapes.</exception>
    public LoadResult Load(string path, bool strict = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(File.ReadAllBytes(path), path, strict);
    }

    /// <summary><see cref="Load(string, bool)"/> from the bytes of a file already read (to check its checksum first,
    /// say); <paramref name="path"/> names it in messages.</summary>
    internal LoadResult Load(ReadOnlySpan<byte> bytes, string path, bool strict = true)
    {
        var file = Safetensors.Parse(bytes, path);
        return LoadCore(file.Tensors, $"'{path}'", strict, message => new InvalidDataException(message));
    }

    /// <summary>Copies tensors by name into this module's parameters and buffers, with the checks of
    /// <see cref="Load(string, bool)"/> (PyTorch's <c>load_state_dict</c> from memory).</summary>
    /// <exception cref="ArgumentException">The tensors do not fit the module; nothing was changed.</exception>
    public LoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var tensors = state.ToDictionary(pair => pair.Key, pair => (pair.Value.Shape, pair.Value.ToArray()), StringComparer.Ordinal);
        return LoadCore(tensors, "the state dict", strict, message => new ArgumentException(message, nameof(state)));
    }

    private LoadResult LoadCore(IReadOnlyDictionary<string, (int[] Shape, float[] Data)> source, string sourceName, bool strict,
        Func<string, Exception> error)
    {
        var targets = StateDict();
        var missing = targets.Keys.Where(name => !source.ContainsKey(name)).ToList();
        var unexpected = source.Keys.Where(name => !targets.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        if (strict)
        {
            problems.AddRange(missing.Select(name => $"missing tensor '{name}' (shape {Format(targets[name].Shape)} in the module)"));
            problems.AddRange(unexpected.Select(name => $"unexpected tensor '{name}' (shape {Format(source[name].Shape)} in the file, no such member in the module)"));
        }
        foreach (var (name, target) in targets)
        {
            if (source.TryGetValue(name, out var tensor) && !tensor.Shape.AsSpan().SequenceEqual(target.Shape))
            {
                problems.Add($"tensor '{name}' has shape {Format(tensor.Shape)} in the file but {Format(target.Shape)} in the module");
            }
        }
        if (problems.Count > 0)
        {
            throw error($"Module.Load: {sourceName} does not fit {GetType().Name}: {string.Join("; ", problems)}. Nothing was loaded.");
        }
        using (Tensor.NoGrad())
        {
            foreach (var (name, target) in targets)
            {
                if (source.TryGetValue(name, out var tensor))
                {
                    if (target.IsContiguous)
                    {
                        tensor.Data.CopyTo(target.AsSpan());
                    }
                    else
                    {
                        target.CopyFrom(Tensor.FromArray(tensor.Data, tensor.Shape));
                    }
                }
            }
        }
        return new LoadResult(missing, unexpected);
    }

    private static string Format(int[] shape) => "(" + string.Join(", ", shape) + ")";
}

/// <summary>What <see cref="Module.Load(string, bool)"/> skipped (PyTorch's <c>_IncompatibleKeys</c>): names the module has that the
/// source lacked, and names the source had that the module lacks. Both are empty after a strict load.</summary>
public sealed record LoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
