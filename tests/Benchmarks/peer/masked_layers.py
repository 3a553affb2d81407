"""Masked layers shared by the PyTorch peers (models_peer.py, results_peer.py): MADE's masked linear layer and MADE
itself, as lib/Generative/NN/MaskedLinear.cs and lib/Generative/Models/Made.cs define them. Import after torch's
thread variables are set."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedLinear(nn.Linear):
    """A linear layer whose weight is multiplied by a fixed 0/1 mask (a buffer) in every forward pass."""

    def __init__(self, n_in, n_out, mask):
        super().__init__(n_in, n_out)
        self.register_buffer("mask", mask)

    def forward(self, x):
        return F.linear(x, self.weight * self.mask, self.bias)


class Made(nn.Module):
    """Germain et al. 2015, natural ordering (input degrees 1..D); each hidden unit's degree drawn uniformly from
    [min degree of the layer below, D - 1], as in the paper; ReLU between the masked layers; returns the logits.
    Parameter names (layers.0.weight, layers.0.mask, ...) are those of our Made, so our safetensors load as they are."""

    def __init__(self, d=784, hidden=(500, 500)):
        super().__init__()
        degrees = [torch.arange(1, d + 1)]
        for h in hidden:
            low = min(int(degrees[-1].min()), max(d - 1, 1))
            degrees.append(torch.randint(low, max(d - 1, low) + 1, (h,)))
        layers = [MaskedLinear(degrees[i].numel(), h, (degrees[i + 1][:, None] >= degrees[i][None, :]).float())
                  for i, h in enumerate(hidden)]
        layers.append(MaskedLinear(hidden[-1], d, (degrees[0][:, None] > degrees[-1][None, :]).float()))
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x)
