#!/usr/bin/python3
"""Peer of `dotnet run -c Release --project tests/Benchmarks -- models`: PyTorch training steps per second.

Trains the same four models as the C# side (tests/Benchmarks/ModelsBenchmark.cs, lib/Generative/Models) on the same
binarized Fashion-MNIST batches (the first 10,000 training images, pixel >= 128 -> 1, batches of 128 in file order,
cycled), float32 on the CPU, and times training steps:

  vae    VAE 784-400-20 with ReLU MLPs: encoder 784-400-(20 mean, 20 logVar), decoder 20-400-784 logits;
         loss = BCE-with-logits summed over pixels + Gaussian KL, averaged over the batch; Adam(1e-3).
  made   MADE 784-500-500-784, masked linear layers, natural ordering, ReLU, BCE with logits; Adam(1e-3).
  nade   NADE with 500 hidden units, the vectorised formulation (tied weights; a_d = c + sum_{j<d} W[:, j] x_j for
         all d at once as an exclusive cumulative sum of the (N, D, H) outer products x_j W[:, j], one batched pass);
         Adam(1e-3). O(N D H) work, but every op streams a 200 MB tensor.
  nade-loop  the same model computed pixel by pixel in a Python loop of 784 steps (the classic formulation). On this
         machine it is the faster of the two (about 2.8 against 0.5 steps/s at one thread), so the C# driver runs both
         and compares against the faster. Not in the default --models.
  dcgan  DCGAN for 28x28: G z=64 -> Linear -> 128x7x7 (BN, ReLU) -> ConvTranspose 128->64 k4 s2 p1 (BN, ReLU)
         -> ConvTranspose 64->1 k4 s2 p1 -> tanh; D Conv 1->64 k4 s2 p1, LeakyReLU(0.2) -> Conv 64->128 k4 s2 p1, BN,
         LeakyReLU(0.2) -> Linear 128*7*7 -> 1; BCE with logits; one D step and one G step per iteration, both
         Adam(2e-4, betas (0.5, 0.999)); real images scaled to [-1, 1].

Threads: torch.set_num_threads(t) for each t in --threads, with OMP_NUM_THREADS / MKL_NUM_THREADS / OPENBLAS_NUM_THREADS
set to the largest before torch is imported (the C# driver removes OPENBLAS_L2_SIZE and runs the script once with
OpenBLAS's own choice of kernel and once with each other OPENBLAS_CORETYPE this CPU can run, keeping the best).
Timing: --warmup steps, then --rounds rounds of N steps each (N per model from --steps), best round kept: other
processes on a shared machine can only slow a round down.

Output, one line per measurement (parsed by the C# driver):
  # <torch version and configuration>
  model <name> threads=<t> steps_per_s=<s> steps=<n> loss=<last loss>
"""
import argparse
import gzip
import os
import sys
import time

DEFAULT_STEPS = {"vae": 50, "made": 50, "nade": 3, "nade-loop": 20, "dcgan": 10}
DEFAULT_MODELS = ["vae", "made", "nade", "dcgan"]
BATCH = 128


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="train-images-first10000-idx3-ubyte.gz (default: found from the repo root)")
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS), help="comma-separated: vae,made,nade,dcgan,nade-loop")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--steps", default="", help="steps per timed round, e.g. vae=50,nade=10 (defaults: %s)" %
                        ",".join(f"{k}={v}" for k, v in DEFAULT_STEPS.items()))
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps before the rounds")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best is reported")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


ARGS = parse_args()
_max_threads = str(max(int(t) for t in ARGS.threads.split(",")))
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_name] = _max_threads

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import shared_models  # noqa: E402  (peer/, beside this script)


def find_data(path):
    if path:
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    for _ in range(8):
        candidate = os.path.join(here, "datasets", "fashion-mnist", "train-images-first10000-idx3-ubyte.gz")
        if os.path.exists(candidate):
            return candidate
        here = os.path.dirname(here)
    raise SystemExit("models_peer.py: datasets/fashion-mnist/train-images-first10000-idx3-ubyte.gz not found; pass --data")


def load_batches(path):
    """Binarized images (pixel >= 128 -> 1) as float32 (N, 784), cut into full batches of 128 in file order."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count, rows, cols = np.frombuffer(raw[:16], dtype=">i4")
    if magic != 2051:
        raise SystemExit(f"models_peer.py: {path} is not an IDX image file (magic {magic})")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    binary = (pixels >= 128).astype(np.float32)
    return [torch.from_numpy(binary[i:i + BATCH].copy()) for i in range(0, count - BATCH + 1, BATCH)]


# ----------------------------------------------------------------------------------------------------------- models

class Made(shared_models.Made):
    def loss(self, x):
        return shared_models.bernoulli_nll(self(x), x).mean()


class Nade(nn.Module):
    """Larochelle & Murray 2011, tied weights: h_d = sigmoid(c + W[:, :d] x_<d), p(x_d = 1) = sigmoid(b_d + V_d . h_d)."""

    def __init__(self, d=784, hidden=500):
        super().__init__()
        self.W = nn.Parameter(torch.randn(hidden, d) * 0.01)
        self.c = nn.Parameter(torch.zeros(hidden))
        self.V = nn.Parameter(torch.randn(d, hidden) * 0.01)
        self.b = nn.Parameter(torch.zeros(d))

    def logits(self, x):
        # The fast formulation: (B, D, H) outer products x_j W[:, j], exclusive cumulative sum over j, one sigmoid,
        # one reduction over H. O(B D H) work and memory, no Python loop.
        contributions = x.unsqueeze(2) * self.W.t().unsqueeze(0)           # (B, D, H)
        a = torch.cumsum(contributions, dim=1) - contributions + self.c    # a_d = c + sum_{j<d} x_j W[:, j]
        h = torch.sigmoid(a)
        return (h * self.V.unsqueeze(0)).sum(2) + self.b                   # (B, D)

    def logits_loop(self, x):
        # The classic pixel-by-pixel computation of the same model.
        a = self.c.expand(x.shape[0], -1)
        columns = []
        for d in range(x.shape[1]):
            h = torch.sigmoid(a)
            columns.append(h @ self.V[d] + self.b[d])
            a = a + x[:, d:d + 1] * self.W[:, d]
        return torch.stack(columns, dim=1)

    def loss(self, x):
        return shared_models.bernoulli_nll(self.logits(x), x).mean()

    def loss_loop(self, x):
        return shared_models.bernoulli_nll(self.logits_loop(x), x).mean()


# ----------------------------------------------------------------------------------------------------- step functions

def simple_step(model, loss_name="loss"):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = getattr(model, loss_name)

    def step(x):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(x)
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def dcgan_step(seed):
    generator, discriminator = shared_models.DcganGenerator(), shared_models.DcganDiscriminator()
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    rng = torch.Generator().manual_seed(seed)
    ones = torch.ones(BATCH, 1)
    zeros = torch.zeros(BATCH, 1)

    def step(x):
        real = (x * 2 - 1).view(-1, 1, 28, 28)
        z = torch.randn(real.shape[0], 64, generator=rng)
        fake = generator(z)
        # discriminator: real -> 1, fake -> 0
        opt_d.zero_grad(set_to_none=True)
        loss_d = F.binary_cross_entropy_with_logits(discriminator(real), ones) + \
            F.binary_cross_entropy_with_logits(discriminator(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        # generator, non-saturating: fake -> 1
        opt_g.zero_grad(set_to_none=True)
        loss_g = F.binary_cross_entropy_with_logits(discriminator(fake), ones)
        loss_g.backward()
        opt_g.step()
        return loss_d.item() + loss_g.item()
    return step


def make_step(name, seed):
    torch.manual_seed(seed)
    if name == "vae":
        return simple_step(shared_models.Vae())
    if name == "made":
        return simple_step(Made())
    if name == "nade":
        return simple_step(Nade())
    if name == "nade-loop":
        return simple_step(Nade(), "loss_loop")
    if name == "dcgan":
        return dcgan_step(seed)
    raise SystemExit(f"models_peer.py: unknown model {name}")


def describe_blas():
    """Which BLAS torch loaded (Debian's torch links the system libblas; libopenblas0-pthread makes it OpenBLAS)."""
    try:
        from threadpoolctl import threadpool_info
        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if blas:
            return ", ".join(f"BLAS {i.get('internal_api')} {i.get('version')} kernel={i.get('architecture')}" for i in blas)
    except ImportError:
        pass
    kernel = openblas_kernel()
    if kernel:
        return kernel
    config = torch.__config__.show()
    return "BLAS_INFO=" + (config.split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in config else "?")


def openblas_kernel():
    """'OpenBLAS <version> kernel=<core>' for an OpenBLAS this process has loaded (found in /proc/self/maps), else None.
    The kernel is what OpenBLAS detected, or what OPENBLAS_CORETYPE forced: the C# driver runs the peer once per
    candidate kernel and keeps the best, because OpenBLAS 0.3.21 picks a slower one on some CPUs."""
    import ctypes
    torch.ones(8, 8) @ torch.ones(8, 8)  # makes sure the BLAS is loaded
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")})
    except OSError:
        return None
    for path in paths:
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_corename.restype = ctypes.c_char_p
            library.openblas_get_config.restype = ctypes.c_char_p
        except (OSError, AttributeError):
            continue
        version = library.openblas_get_config().decode().split()[1]
        return f"OpenBLAS {version} kernel={library.openblas_get_corename().decode()}"
    return None


def measure(step, batches, warmup, steps, rounds):
    """Best over rounds of the steps per second of `steps` consecutive training steps."""
    position = 0
    loss = float("nan")
    for _ in range(warmup):
        loss = step(batches[position % len(batches)])
        position += 1
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(steps):
            loss = step(batches[position % len(batches)])
            position += 1
        best = max(best, steps / (time.perf_counter() - start))
    return best, loss


def main():
    steps = dict(DEFAULT_STEPS)
    for item in filter(None, ARGS.steps.split(",")):
        key, value = item.split("=")
        steps[key.strip()] = int(value)
    models = [m.strip() for m in ARGS.models.split(",") if m.strip()]
    threads = [int(t) for t in ARGS.threads.split(",")]
    batches = load_batches(find_data(ARGS.data))
    print(f"# torch {torch.__version__}, float32 CPU, {describe_blas()}, mkldnn={torch.backends.mkldnn.is_available()}, "
          f"{len(batches)} batches of {BATCH}")
    sys.stdout.flush()
    for t in threads:
        torch.set_num_threads(t)
        for name in models:
            step = make_step(name, ARGS.seed)
            rate, loss = measure(step, batches, ARGS.warmup, steps.get(name, 20), ARGS.rounds)
            print(f"model {name} threads={t} steps_per_s={rate:.3f} steps={steps.get(name, 20)} loss={loss:.4f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
