using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>
/// The Row LSTM in TorchSharp, with the paper's convolutions spelled as convolutions: the state-to-state kernel K_ss is
/// a width-3 <c>conv1d</c> along the row (the course's Linear over [h_{j−1}, h_j, h_{j+1}] reshaped to that kernel), the
/// masked input-to-state kernel keeps only the left tap, and the gates are in the paper's order [o, f, i, g].
/// </summary>
internal sealed class RowLstmTwin : nn.Module<Tensor, Tensor>
{
    private readonly long height, width, hiddenSize;
    private readonly Linear input_to_state;
    private readonly Linear state_to_state;
    private readonly Linear output;

    public RowLstmTwin(int height, int width, int hiddenSize) : base(nameof(RowLstmTwin))
    {
        (this.height, this.width, this.hiddenSize) = (height, width, hiddenSize);
        input_to_state = nn.Linear(1, 4 * hiddenSize);
        state_to_state = nn.Linear(3 * hiddenSize, 4 * hiddenSize);
        output = nn.Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var n = x.shape[0];
        var h = hiddenSize;
        var images = x.reshape(n, height, width);
        // Input-to-state: pixel (r, j) reads x[r, j − 1] (the masked kernel's left tap), 0 at the left edge.
        var left = nn.functional.pad(images, [1, 0]).narrow(2, 0, width);
        var inputGates = input_to_state.forward(left.unsqueeze(3));                       // (N, H, W, 4h)
        // K_ss as conv1d weight (out 4h, in h, width 3): tap t reads h_{j + t − 1}.
        var kernel = state_to_state.weight!.reshape(4 * h, 3, h).permute(0, 2, 1);
        var state = zeros(n, h, width, dtype: x.dtype);                                                  // h_{r−1}, channels first
        var cell = zeros(n, width, h, dtype: x.dtype);
        var rows = new List<Tensor>();
        for (var r = 0; r < height; r++)
        {
            var gates = nn.functional.conv1d(state, kernel, state_to_state.bias, padding: 1).permute(0, 2, 1) + inputGates.select(1, r);
            var chunks = gates.chunk(4, 2);
            var (o, f, i, g) = (chunks[0], chunks[1], chunks[2], chunks[3]);
            cell = f.sigmoid() * cell + i.sigmoid() * g.tanh();
            var hidden = o.sigmoid() * cell.tanh();                                     // (N, W, h)
            rows.Add(hidden);
            state = hidden.permute(0, 2, 1);
        }
        return output.forward(stack(rows, 1).relu()).reshape(n, height * width);
    }

    /// <summary>−(1/N) Σ_n log p(x_n).</summary>
    public Tensor loss(Tensor x) =>
        nn.functional.binary_cross_entropy_with_logits(forward(x), x, reduction: nn.Reduction.Sum) / x.shape[0];
}
