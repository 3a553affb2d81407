using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>Lesson 10's MLP GAN in TorchSharp: ReLU generator with a linear output; LeakyReLU(0.2) discriminator whose
/// hidden layers after the first also read the minibatch standard deviation (when asked), laid out in one
/// <c>nn.Sequential</c> each, index for index as the course's.</summary>
internal sealed class MlpGanTwin : nn.Module
{
    private readonly Sequential generator;
    private readonly Sequential discriminator;

    public MlpGanTwin(int dimensions, int latentDimensions, int hiddenUnits, int hiddenLayers, bool minibatchStdDev) : base(nameof(MlpGanTwin))
    {
        generator = Network(latentDimensions, dimensions, hiddenUnits, hiddenLayers, () => nn.ReLU(), false);
        discriminator = Network(dimensions, 1, hiddenUnits, hiddenLayers, () => nn.LeakyReLU(0.2), minibatchStdDev);
        RegisterComponents();
    }

    public Tensor generate(Tensor z) => generator.forward(z);

    public Tensor discriminate(Tensor points) => discriminator.forward(points);

    private static Sequential Network(int inputs, int outputs, int hiddenUnits, int hiddenLayers, Func<nn.Module<Tensor, Tensor>> activation, bool minibatchStdDev)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (var layer = 0; layer < hiddenLayers; layer++)
        {
            var seesBatch = layer > 0 && minibatchStdDev;
            if (seesBatch)
            {
                layers.Add(new MinibatchStdDevTwin());
            }
            layers.Add(nn.Linear(layer == 0 ? inputs : hiddenUnits + (seesBatch ? 1 : 0), hiddenUnits));
            layers.Add(activation());
        }
        layers.Add(nn.Linear(hiddenUnits, outputs));
        return nn.Sequential([.. layers]);
    }
}
