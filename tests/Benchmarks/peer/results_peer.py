#!/usr/bin/python3
"""Peer of `dotnet run -c Release --project tests/Benchmarks -- results`: the same models trained by PyTorch.

Trains each model on the full binarized Fashion-MNIST (60,000 training and 10,000 test images from the IDX .gz files
in --data-dir; a pixel is 1 when it is at least half of 255, the rule of ImageDataset.Binarize) with the budget the C#
driver passes (epochs, batch size, Adam learning rate; shuffled mini-batches, a fresh order every epoch), then prints
the exact test NLL in nats per image. The architectures mirror lib/Generative/Models:

  fvsbn     a logistic regression per pixel on the pixels before it: one 784x784 linear layer with a strictly
            lower-triangular mask, and a bias.
  nade      NADE with H hidden units and tied weights: a_d = c + W[:, <d] x_<d, h_d = sigmoid(a_d),
            p(x_d = 1) = sigmoid(b_d + V_d . h_d). Computed a block of 28 pixels at a time (an exclusive cumulative sum
            inside the block on top of the running sum before it): the same numbers as the pixel-by-pixel loop, with
            28 Python iterations per pass instead of 784, which is what makes 20 epochs affordable here.
  made      MADE with one or more masked hidden layers (ReLU), natural ordering, hidden degrees drawn uniformly
            from [min degree of the layer below, D - 1] (Germain et al. 2015).
  pixelcnn  PixelCNN for binary images: masked KxK conv type A (1 -> C; K = 7 in the paper), then `layers` x [ReLU,
            masked 3x3 conv type B (C -> C)], ReLU, 1x1 conv (C -> C), ReLU, 1x1 conv (C -> 1); padding keeps 28x28.
  rowlstm   PixelRNN's Row LSTM with one layer of `hidden` units: input-to-state from the pixel on the left (the
            masked width-3 kernel's only tap), state-to-state from h_{r-1} at j-1, j, j+1; gates o, f, i, g;
            logit = w . relu(h) + b.
  vae       the VAE of lesson 08 (Vae.cs): encoder 784 -> H (ReLU) -> Z means and Z log-variances, decoder Z -> H
            (ReLU) -> 784 logits. Spec HxZ trains on the one-draw ELBO with the KL in closed form; HxZkK on the
            K-sample importance-weighted bound (an IWAE). Its test NLL is an estimate: minus the IWAE bound with
            --eval-samples draws per image (a lower bound on log p(x) in expectation); the one-draw test ELBO is
            printed too.

Usage (the C# driver builds this line): results_peer.py --models made --spec made=2000 --epochs made=20 --lr made=1e-3
    --batch 100 --threads 1 --initial-weights DIR

With --initial-weights DIR every model starts from DIR/<name>.safetensors, the initial weights (and masks) our side
drew: the parameter names are the same on both sides. Then the two trainings differ only in the order of the
mini-batches and in rounding, and the comparison measures the training, not the luck of an initial draw (the Row LSTM's
test NLL moves by 1.7 nats between two draws, on either side). Without it the peer draws its own (torch.manual_seed).

Check mode: results_peer.py --evaluate-weights weights loads our shipped safetensors (weights/weights.json) into the
PyTorch architectures above and prints "evaluated <name> test_nll=<nats> stated=<nats>": the same number means both
sides compute the same model from the same weights.

Output, one line per model (parsed by the C# driver):
  # <torch version and configuration>
  result <name> test_nll=<nats> train_nll=<last epoch's mean training loss> epochs=<n> seconds=<training time>
  (a VAE adds test_elbo=<nats> at the end of its line)
"""
import argparse
import gzip
import json
import os
import re
import sys
import time

SYSTEM_DATA = "/usr/share/datasets/fashion-mnist"


def parse_named(text, convert):
    values = {}
    for item in filter(None, text.split(",")):
        if "=" not in item:
            raise SystemExit(f"results_peer.py: expected name=value, got {item!r}")
        key, value = item.split("=", 1)
        values[key.strip()] = convert(value)
    return values


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=SYSTEM_DATA, help="directory with the four Fashion-MNIST IDX .gz files")
    parser.add_argument("--models", default="fvsbn,nade,made,pixelcnn,rowlstm")
    parser.add_argument("--spec", default="", help="architecture per model: nade=H, made=H1xH2, pixelcnn=CxL or CxLkK, "
                                                   "rowlstm=H, vae=HxZ or HxZkK (K-sample IWAE training)")
    parser.add_argument("--eval-samples", type=int, default=5000,
                        help="importance samples per test image for a VAE's NLL estimate")
    parser.add_argument("--epochs", default="", help="per model, e.g. nade=20")
    parser.add_argument("--lr", default="", help="Adam learning rate per model, e.g. nade=3e-3")
    parser.add_argument("--decay", default="", help="per model, how many final epochs run at a tenth of the rate")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--initial-weights", metavar="DIR", default=None,
                        help="start each model from DIR/<name>.safetensors (our initial weights) instead of its own draw")
    parser.add_argument("--evaluate-weights", metavar="DIR", default=None,
                        help="instead of training: load every model of DIR/weights.json (ours, safetensors) into the "
                             "PyTorch architecture and print its test NLL, a check that both sides compute the same model")
    return parser.parse_args()


ARGS = parse_args()
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_name] = str(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from shared_models import FashionClassifier, Made, MaskedLinear, Vae, bernoulli_nll  # noqa: E402  (peer/, beside this script)


def load_images(directory, prefix, binarize=True):
    path = os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz")
    if not os.path.exists(path):
        raise SystemExit(f"results_peer.py: {path} not found (install dataset-fashion-mnist or pass --data-dir)")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count, rows, cols = np.frombuffer(raw[:16], dtype=">i4")
    if magic != 2051 or rows * cols != 784:
        raise SystemExit(f"results_peer.py: {path} is not a 28x28 IDX image file (magic {magic}, {rows}x{cols})")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, 784)
    if not binarize:
        return torch.from_numpy(pixels.astype(np.float32) / 255)
    return torch.from_numpy((pixels >= 127.5).astype(np.float32))


def load_labels(directory, prefix):
    path = os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz")
    if not os.path.exists(path):
        raise SystemExit(f"results_peer.py: {path} not found (install dataset-fashion-mnist or pass --data-dir)")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count = np.frombuffer(raw[:8], dtype=">i4")
    if magic != 2049:
        raise SystemExit(f"results_peer.py: {path} is not an IDX label file (magic {magic})")
    return torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=8).astype(np.int64))


class Fvsbn(nn.Module):
    def __init__(self, d=784):
        super().__init__()
        self.conditionals = MaskedLinear(d, d, torch.tril(torch.ones(d, d), diagonal=-1))

    def forward(self, x):
        return self.conditionals(x)


class Nade(nn.Module):
    def __init__(self, d=784, hidden=500, block=28):
        super().__init__()
        # Uniform(+-1/sqrt(fan_in)) as lib/Generative/Models/Nade.cs, under the same names.
        self.weight = nn.Parameter(torch.empty(hidden, d).uniform_(-d ** -0.5, d ** -0.5))
        self.hidden_bias = nn.Parameter(torch.zeros(hidden))
        self.output_weight = nn.Parameter(torch.empty(d, hidden).uniform_(-hidden ** -0.5, hidden ** -0.5))
        self.output_bias = nn.Parameter(torch.zeros(d))
        self.block = block

    def forward(self, x):
        running = self.hidden_bias.expand(x.shape[0], -1)              # c + sum of x_j W[:, j] before the block
        logits = []
        for start in range(0, x.shape[1], self.block):
            end = min(start + self.block, x.shape[1])
            contributions = x[:, start:end].unsqueeze(2) * self.weight[:, start:end].t().unsqueeze(0)  # (N, K, H)
            inclusive = torch.cumsum(contributions, dim=1)
            h = torch.sigmoid(running.unsqueeze(1) + inclusive - contributions)                  # a_d for d in block
            logits.append((h * self.output_weight[start:end].unsqueeze(0)).sum(2) + self.output_bias[start:end])
            running = running + inclusive[:, -1]
        return torch.cat(logits, dim=1)


class MaskedConv2d(nn.Conv2d):
    def __init__(self, mask_type, n_in, n_out, k):
        super().__init__(n_in, n_out, k, padding=k // 2)
        mask = torch.zeros(k, k)
        centre = k // 2
        mask[:centre] = 1
        mask[centre, :centre] = 1
        if mask_type == "B":
            mask[centre, centre] = 1
        self.register_buffer("mask", mask.expand(n_out, n_in, k, k).clone())

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class PixelCnn(nn.Module):
    def __init__(self, channels=32, layers=5, input_kernel=7):
        super().__init__()
        self.input = MaskedConv2d("A", 1, channels, input_kernel)
        self.hidden = nn.ModuleList(MaskedConv2d("B", channels, channels, 3) for _ in range(layers))
        self.output_hidden = nn.Conv2d(channels, channels, 1)
        self.output = nn.Conv2d(channels, 1, 1)

    def forward(self, x):
        h = self.input(x.view(-1, 1, 28, 28))
        for layer in self.hidden:
            h = layer(F.relu(h))
        h = self.output_hidden(F.relu(h))
        return self.output(F.relu(h)).view(-1, 784)


class RowLstm(nn.Module):
    def __init__(self, hidden=16, height=28, width=28):
        super().__init__()
        self.input_to_state = nn.Linear(1, 4 * hidden)
        self.state_to_state = nn.Linear(3 * hidden, 4 * hidden)
        self.output = nn.Linear(hidden, 1)
        self.hidden, self.height, self.width = hidden, height, width

    def forward(self, x):
        n, h, width = x.shape[0], self.hidden, self.width
        images = x.view(n, self.height, width)
        shifted = torch.cat([images.new_zeros(n, self.height, 1), images[:, :, :-1]], dim=2)
        input_gates = self.input_to_state(shifted.reshape(-1, 1)).view(n, self.height, width, 4 * h)
        state = x.new_zeros(n, width, h)
        cell = x.new_zeros(n, width, h)
        rows = []
        for r in range(self.height):
            padded = F.pad(state, (0, 0, 1, 1))
            neighbours = torch.cat([padded[:, :-2], padded[:, 1:-1], padded[:, 2:]], dim=2)
            gates = self.state_to_state(neighbours) + input_gates[:, r]
            o, f, i, g = gates.split(h, dim=2)
            cell = torch.sigmoid(f) * cell + torch.sigmoid(i) * torch.tanh(g)
            state = torch.sigmoid(o) * torch.tanh(cell)
            rows.append(state)
        states = torch.stack(rows, dim=1)
        return self.output(F.relu(states)).view(n, -1)


def build(name, spec):
    if name == "fvsbn":
        return Fvsbn()
    if name == "nade":
        return Nade(hidden=int(spec or 500))
    if name == "made":
        return Made(hidden=tuple(int(s) for s in (spec or "2000").split("x")))
    if name == "pixelcnn":
        # CxL or CxLkK: C channels, L mask-B layers, a KxK mask-A input layer (7 when not given).
        match = re.fullmatch(r"(\d+)x(\d+)(?:k(\d+))?", spec or "32x5")
        if match is None:
            raise SystemExit(f"results_peer.py: --spec pixelcnn={spec!r} is not CxL or CxLkK (e.g. 32x5k21)")
        return PixelCnn(int(match[1]), int(match[2]), int(match[3] or 7))
    if name == "rowlstm":
        return RowLstm(hidden=int(spec or 16))
    if name in ("vae", "iwae"):
        match = re.fullmatch(r"(\d+)x(\d+)(?:k(\d+))?", spec or "400x20")
        if match is None:
            raise SystemExit(f"results_peer.py: --spec {name}={spec!r} is not HxZ or HxZkK (e.g. 400x20k5)")
        return Vae(int(match[1]), int(match[2]), int(match[3] or 1))
    raise SystemExit(f"results_peer.py: unknown model {name!r}; expected fvsbn, nade, made, pixelcnn, rowlstm, vae, iwae")


def test_nll(model, data):
    with torch.no_grad():
        total = 0.0
        for start in range(0, data.shape[0], 500):
            x = data[start:start + 500]
            total += bernoulli_nll(model(x), x).double().sum().item()
    return total / data.shape[0]


def vae_test_bounds(model, data, samples):
    """The mean one-draw ELBO and the mean K-sample bound over the test images, in nats (chunks of 500 images)."""
    torch.manual_seed(ARGS.seed + 2)
    with torch.no_grad():
        elbo, bound = 0.0, 0.0
        for start in range(0, data.shape[0], 500):
            x = data[start:start + 500]
            elbo += model.elbo(x).double().sum().item()
            bound += model.iwae_bound(x, samples).double().sum().item()
    return elbo / data.shape[0], bound / data.shape[0]


def read_safetensors(path):
    """The float32 tensors of a safetensors file (8-byte little-endian header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        raw = f.read()
    length = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + length])
    data = raw[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"results_peer.py: {path}: tensor {name} is {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[start:end], dtype=np.float32).reshape(info["shape"]).copy())
    return tensors


def load_initial_weights(model, path):
    if not os.path.exists(path):
        raise SystemExit(f"results_peer.py: --initial-weights: {path} not found")
    state = read_safetensors(path)
    try:
        model.load_state_dict(state)
    except RuntimeError as e:
        raise SystemExit(f"results_peer.py: --initial-weights: {path} does not fit the PyTorch model: {e}")


def evaluate_weights(directory, test):
    """Our saved weights in the PyTorch models: the state-dict names are the same on both sides, and the architecture
    is read off the tensors' shapes, so the catalogue needs no PyTorch-specific entry."""
    with open(os.path.join(directory, "weights.json")) as f:
        catalog = json.load(f)
    for entry in catalog:
        state = read_safetensors(os.path.join(directory, entry["file"]))
        if "input.weight" in state:      # PixelCNN: input (C, 1, K, K), hidden.0 .. hidden.{L-1}
            channels, _, kernel, _ = state["input.weight"].shape
            layers = sum(1 for key in state if key.startswith("hidden.") and key.endswith(".weight"))
            model = PixelCnn(channels, layers, kernel)
        elif "state_to_state.weight" in state:  # Row LSTM: output (1, hidden)
            model = RowLstm(hidden=state["output.weight"].shape[1])
        elif "classify.weight" in state:  # the Fashion-MNIST classifier: grayscale images, accuracy not NLL
            model = FashionClassifier()
            model.load_state_dict(state)
            images, labels = load_images(ARGS.data_dir, "t10k", binarize=False), load_labels(ARGS.data_dir, "t10k")
            with torch.no_grad():
                accuracy = (model(images).argmax(1) == labels).double().mean().item()
            print(f"evaluated {entry['name']} test_accuracy={accuracy:.4f} stated={entry['testAccuracy']:.4f}")
            continue
        else:
            raise SystemExit(f"results_peer.py: {entry['file']}: no PyTorch architecture for {entry['model']!r}")
        model.load_state_dict(state)
        print(f"evaluated {entry['name']} test_nll={test_nll(model, test):.4f} stated={entry['testNll']:.4f}")


def main():
    torch.set_num_threads(ARGS.threads)
    if ARGS.evaluate_weights:
        evaluate_weights(ARGS.evaluate_weights, load_images(ARGS.data_dir, "t10k"))
        return
    specs = parse_named(ARGS.spec, str)
    epochs = parse_named(ARGS.epochs, int)
    rates = parse_named(ARGS.lr, float)
    decays = parse_named(ARGS.decay, int)
    train = load_images(ARGS.data_dir, "train")
    test = load_images(ARGS.data_dir, "t10k")
    print(f"# torch {torch.__version__}, float32 CPU, {ARGS.threads} thread(s), {train.shape[0]} training and "
          f"{test.shape[0]} test images from {ARGS.data_dir}, batch {ARGS.batch}, initial weights "
          + (f"from {ARGS.initial_weights} (ours)" if ARGS.initial_weights else f"drawn by torch (seed {ARGS.seed})"))
    sys.stdout.flush()
    for name in filter(None, (m.strip() for m in ARGS.models.split(","))):
        if name not in epochs or name not in rates:
            raise SystemExit(f"results_peer.py: pass --epochs {name}=N and --lr {name}=R")
        torch.manual_seed(ARGS.seed)
        model = build(name, specs.get(name))
        if ARGS.initial_weights:
            load_initial_weights(model, os.path.join(ARGS.initial_weights, f"{name}.safetensors"))
        optimizer = torch.optim.Adam(model.parameters(), lr=rates[name])
        order = torch.Generator().manual_seed(ARGS.seed + 1)
        start = time.perf_counter()
        epoch_loss = float("nan")
        decay_from = epochs[name] - min(decays.get(name, 0), epochs[name])
        for epoch in range(epochs[name]):
            if epoch == decay_from:  # the same optimizer and moments, a tenth of the step size
                for group in optimizer.param_groups:
                    group["lr"] = rates[name] / 10
            permutation = torch.randperm(train.shape[0], generator=order)
            total, batches = 0.0, 0
            for first in range(0, train.shape[0], ARGS.batch):
                x = train[permutation[first:first + ARGS.batch]]
                optimizer.zero_grad(set_to_none=True)
                loss = model.loss(x) if isinstance(model, Vae) else bernoulli_nll(model(x), x).mean()
                loss.backward()
                optimizer.step()
                total += loss.item()
                batches += 1
            epoch_loss = total / batches
            print(f"# {name} epoch {epoch + 1}: training NLL {epoch_loss:.2f} ({time.perf_counter() - start:.0f} s)",
                  file=sys.stderr)
        seconds = time.perf_counter() - start
        if isinstance(model, Vae):
            elbo, bound = vae_test_bounds(model, test, ARGS.eval_samples)
            print(f"result {name} test_nll={-bound:.4f} train_nll={epoch_loss:.4f} epochs={epochs[name]} "
                  f"seconds={seconds:.1f} test_elbo={elbo:.4f}")
        else:
            print(f"result {name} test_nll={test_nll(model, test):.4f} train_nll={epoch_loss:.4f} "
                  f"epochs={epochs[name]} seconds={seconds:.1f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
