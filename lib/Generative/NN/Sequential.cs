using System.Collections;
using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// Layers applied one after another (PyTorch's <c>nn.Sequential</c>): <c>Forward(x) = layers[n-1](...layers[0](x))</c>.
/// The layers are submodules named "0", "1", ..., so parameters are named <c>0.weight</c>, <c>2.bias</c>, ... as in PyTorch.
/// </summary>
public sealed class Sequential : Module<Tensor, Tensor>, IReadOnlyList<Module<Tensor, Tensor>>
{
    [NotRegistered]
    private readonly Module<Tensor, Tensor>[] _layers;

    /// <summary>Creates the stack.</summary>
    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = (Module<Tensor, Tensor>[])layers.Clone();
        for (var i = 0; i < _layers.Length; i++)
        {
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _layers[i] ?? throw new ArgumentException($"Sequential: layer {i} is null.", nameof(layers)));
        }
    }

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module<Tensor, Tensor> this[int index] => _layers[index];

    /// <summary>Applies the layers in order.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module<Tensor, Tensor>> GetEnumerator() => ((IEnumerable<Module<Tensor, Tensor>>)_layers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
