"""Models shared by the PyTorch peers (models_peer.py, results_peer.py, gan_peer.py): MADE's masked linear layer and MADE itself, as
lib/Generative/NN/MaskedLinear.cs and lib/Generative/Models/Made.cs define them, and the VAE of
lib/Generative/Models/Vae.cs, the DCGAN of lib/Generative/Models/Dcgan.cs and the Fashion-MNIST classifier of lib/Generative/Evaluation/FashionClassifier.cs under the same
parameter names. Import after torch's thread variables are set."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def bernoulli_nll(logits, x):
    """-log p(x) per example: the sum over pixels of the Bernoulli cross-entropy with logits."""
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)


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


class Vae(nn.Module):
    """Encoder D -> H (ReLU) -> Z means and Z log-variances, decoder Z -> H (ReLU) -> D logits, under our Vae's parameter
    names (encoder.0, mean, log_var, decoder.0, decoder.2), so our weights load as they are. `loss` is the negative
    one-draw ELBO (KL in closed form) or, with training_samples K > 1, the negative K-sample IWAE bound."""

    def __init__(self, hidden=400, latent=20, training_samples=1, d=784):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d, hidden), nn.ReLU())
        self.mean = nn.Linear(hidden, latent)
        self.log_var = nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, d))
        self.training_samples = training_samples

    def encode(self, x):
        h = self.encoder(x)
        return self.mean(h), self.log_var(h)

    def elbo(self, x):
        """One reparameterised draw for log p(x | z), the Gaussian KL to N(0, I) in closed form."""
        mean, log_var = self.encode(x)
        z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
        kl = 0.5 * (mean.pow(2) + log_var.exp() - 1 - log_var).sum(1)
        return -bernoulli_nll(self.decoder(z), x) - kl

    def iwae_bound(self, x, k):
        """log (1/K) sum_k p(x | z_k) p(z_k) / q(z_k | x), z_k = mean + sigma * eps_k."""
        mean, log_var = self.encode(x)
        half_log_2pi = 0.5 * math.log(2 * math.pi)
        log_weights = []
        for _ in range(k):
            eps = torch.randn_like(mean)
            z = mean + torch.exp(0.5 * log_var) * eps
            log_prior = (-0.5 * z.pow(2) - half_log_2pi).sum(1)
            log_q = (-0.5 * eps.pow(2) - half_log_2pi - 0.5 * log_var).sum(1)
            log_weights.append(-bernoulli_nll(self.decoder(z), x) + log_prior - log_q)
        return torch.logsumexp(torch.stack(log_weights, 1), 1) - math.log(k)

    def loss(self, x):
        bound = self.elbo(x) if self.training_samples == 1 else self.iwae_bound(x, self.training_samples)
        return -bound.mean()


class FashionClassifier(nn.Module):
    """Two stride-2 convolutions (32 and 64 channels, kernel 4, padding 1), 128 ReLU features, 10 logits; grayscale
    images in [0, 1] as rows (N, 784) or (N, 1, 28, 28)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 4, 2, 1)
        self.conv2 = nn.Conv2d(32, 64, 4, 2, 1)
        self.hidden = nn.Linear(64 * 7 * 7, 128)
        self.classify = nn.Linear(128, 10)

    def features(self, x):
        x = F.relu(self.conv2(F.relu(self.conv1(x.view(-1, 1, 28, 28)))))
        return F.relu(self.hidden(x.flatten(1)))

    def forward(self, x):
        return self.classify(self.features(x))


class DcganGenerator(nn.Module):
    """z (N, 64) -> Linear -> (128, 7, 7) -> BN, ReLU -> ConvTranspose to (64, 14, 14) -> BN, ReLU -> ConvTranspose to
    (1, 28, 28) -> tanh."""

    def __init__(self, z=64):
        super().__init__()
        self.project = nn.Linear(z, 128 * 7 * 7, bias=False)
        self.norm0 = nn.BatchNorm2d(128)
        self.up1 = nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)
        self.norm1 = nn.BatchNorm2d(64)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        x = F.relu(self.norm0(self.project(z).view(-1, 128, 7, 7)))
        x = F.relu(self.norm1(self.up1(x)))
        return torch.tanh(self.up2(x))


class DcganDiscriminator(nn.Module):
    """(N, 1, 28, 28) -> Conv to (64, 14, 14), LeakyReLU 0.2 -> Conv to (128, 7, 7), BN, LeakyReLU 0.2 -> Linear -> logit."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 4, 2, 1)
        self.conv2 = nn.Conv2d(64, 128, 4, 2, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(128)
        self.classify = nn.Linear(128 * 7 * 7, 1)

    def forward(self, x):
        x = F.leaky_relu(self.conv1(x.view(-1, 1, 28, 28)), 0.2)
        x = F.leaky_relu(self.norm2(self.conv2(x)), 0.2)
        return self.classify(x.flatten(1))


class Dcgan(nn.Module):
    """Both networks under our Dcgan's names (generator_network.*, discriminator_network.*)."""

    def __init__(self, z=64):
        super().__init__()
        self.generator_network = DcganGenerator(z)
        self.discriminator_network = DcganDiscriminator()
