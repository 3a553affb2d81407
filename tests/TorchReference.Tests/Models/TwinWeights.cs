using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>
/// Loads a safetensors file written by the course's <c>Module.Save</c> into a TorchSharp twin by parameter and buffer
/// name (PyTorch's <c>load_state_dict(strict=True)</c>). The file is read here with a reader of its own (header length,
/// JSON header, little-endian F32 data), not the library's, so that a fault shared by the library's writer and reader
/// cannot hide.
/// </summary>
internal static class TwinWeights
{
    /// <summary>Batch norm's integer step counter, which PyTorch keeps and the course's BatchNorm does not (it only
    /// matters with momentum None); the one member of a twin that the file may lack.</summary>
    private const string BatchCounter = "num_batches_tracked";

    /// <summary>Copies every tensor of <paramref name="path"/> into the twin's parameter or buffer of the same name.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing from the file, the file has a tensor the twin lacks, or
    /// the shapes differ; the message names every offender and nothing is copied.</exception>
    public static void Load(nn.Module twin, string path)
    {
        var tensors = Read(path);
        var targets = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in twin.named_parameters())
        {
            targets[name] = parameter;
        }
        foreach (var (name, buffer) in twin.named_buffers())
        {
            if (name != BatchCounter && !name.EndsWith("." + BatchCounter, StringComparison.Ordinal))
            {
                targets[name] = buffer;
            }
        }
        var problems = new List<string>();
        problems.AddRange(targets.Keys.Where(name => !tensors.ContainsKey(name)).Select(name => $"missing tensor '{name}' (the twin has shape {Format(targets[name].shape)})"));
        problems.AddRange(tensors.Keys.Where(name => !targets.ContainsKey(name)).Select(name => $"unexpected tensor '{name}' (no such member in the twin)"));
        foreach (var (name, target) in targets)
        {
            if (tensors.TryGetValue(name, out var source) && !source.Shape.SequenceEqual(target.shape))
            {
                problems.Add($"tensor '{name}' has shape {Format(source.Shape)} in the file but {Format(target.shape)} in the twin");
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"TwinWeights.Load: '{path}' does not fit {twin.GetType().Name}: {string.Join("; ", problems)}.");
        }
        using (no_grad())
        {
            foreach (var (name, target) in targets)
            {
                var (shape, data) = tensors[name];
                target.copy_(tensor(data, shape));
            }
        }
    }

    /// <summary>The F32 tensors of a safetensors file by name: shape and row-major data.</summary>
    public static Dictionary<string, (long[] Shape, float[] Data)> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
        var tensors = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }
            var dtype = entry.Value.GetProperty("dtype").GetString();
            if (dtype != "F32")
            {
                throw new InvalidDataException($"TwinWeights.Read: '{path}': tensor '{entry.Name}' has dtype {dtype}; the course writes F32.");
            }
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(size => size.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(offset => offset.GetInt32()).ToArray();
            var data = new float[(offsets[1] - offsets[0]) / sizeof(float)];
            if (data.LongLength != shape.Aggregate(1L, (product, size) => product * size))
            {
                throw new InvalidDataException($"TwinWeights.Read: '{path}': tensor '{entry.Name}' holds {data.Length} floats for shape {Format(shape)}.");
            }
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + offsets[0] + 4 * i, 4));
            }
            tensors[entry.Name] = (shape, data);
        }
        return tensors;
    }

    private static string Format(long[] shape) => "(" + string.Join(", ", shape) + ")";
}
