using Generative.Data;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>
/// An epoch of VAE training must not hold on to memory: each step's graph and activations have to become garbage
/// once the step is done. Runs alone, because the managed heap is shared by every test in the process.
/// </summary>
[Collection(MeasuresProcessMemoryCollection.Name)]
public class VaeMemoryTests
{
    // Growth of live memory over the epoch, measured from the live heap after the first steps (by then the model,
    // Adam's moment buffers and the data are allocated; whatever other tests keep alive in this process is in that
    // baseline too). Each step's graph must become garbage. Measured here: growth below 1 MB, and 139 MB when
    // every step's loss (and so its whole graph) is kept alive. 32 MB catches such a leak with a wide margin.
    private const long LiveGrowthBoundBytes = 32L * 1024 * 1024;

    [Fact]
    public void TrainOneEpoch_EmbeddedFashionMnist_LiveManagedHeapDoesNotGrow()
    {
        var images = FashionMnist.LoadEmbedded().Binarize();
        const int batchSize = 128;
        var generator = new Generator(5);
        var vae = new Vae(generator: new Generator(4));
        var optimizer = new Adam(vae.Parameters(), learningRate: 1e-3);
        var batch = new float[batchSize * images.PixelsPerImage];
        long? baselineBytes = null;
        var peakGrowthBytes = 0L;
        var losses = new List<float>();
        for (var start = 0; start + batchSize <= images.Count; start += batchSize)
        {
            for (var i = 0; i < batch.Length; i++) batch[i] = images.Pixels[start * images.PixelsPerImage + i];
            var loss = vae.Loss(Tensor.FromArray(batch, batchSize, images.PixelsPerImage), generator);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            losses.Add(loss.Item());
            // Live memory, not garbage awaiting collection (that depends on the GC's budget): a full collection
            // after the second step (the baseline) and every tenth, then what is still reachable.
            if (losses.Count == 2) baselineBytes = GC.GetTotalMemory(forceFullCollection: true);
            else if (losses.Count % 10 == 0) peakGrowthBytes = Math.Max(peakGrowthBytes, GC.GetTotalMemory(forceFullCollection: true) - baselineBytes!.Value);
        }

        Assert.Equal(images.Count / batchSize, losses.Count);
        Assert.True(peakGrowthBytes < LiveGrowthBoundBytes, $"live managed heap grew by {peakGrowthBytes / (1024 * 1024)} MB over an epoch, bound {LiveGrowthBoundBytes / (1024 * 1024)} MB");
        Assert.True(losses[^1] < losses[0], $"the epoch did not train: loss {losses[0]} -> {losses[^1]}");
    }
}
