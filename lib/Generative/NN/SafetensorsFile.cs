namespace Generative.NN;

/// <summary>
/// The contents of a safetensors file read by <see cref="Safetensors.Load"/>: named float32 tensors (each a
/// row-major array with its shape) and the free-form <c>__metadata__</c> text map.
/// </summary>
public sealed class SafetensorsFile
{
    internal SafetensorsFile(string path, IReadOnlyList<string> names,
        IReadOnlyDictionary<string, (int[] Shape, float[] Data)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Names = names;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file the tensors were read from.</summary>
    public string Path { get; }

    /// <summary>Tensor names in the order their data lies in the file.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The tensors by name: shape (empty for a scalar) and row-major data of length equal to the shape's product.
    /// Pass it straight back to <see cref="Safetensors.Save"/> to write the same file.</summary>
    public IReadOnlyDictionary<string, (int[] Shape, float[] Data)> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map of the header; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message lists the names the file holds.</exception>
    public (int[] Shape, float[] Data) this[string name] =>
        Tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'; the file holds {(Names.Count == 0 ? "no tensors" : string.Join(", ", Names.Select(n => $"'{n}'")))}.");
}
