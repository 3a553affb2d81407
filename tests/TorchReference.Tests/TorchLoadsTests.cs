using TorchSharp;

namespace TorchReference.Tests;

public sealed class TorchLoadsTests
{
    [TorchFact]
    public void Torch_OnThisMachine_LoadsAndComputes()
    {
        Assert.Null(TorchAvailability.Reason);
        using var x = torch.tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        Assert.Equal(new float[] { 2, 4, 6 }, x.grad!.data<float>().ToArray());
    }
}
