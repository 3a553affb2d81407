#!/usr/bin/python3
"""Peer of `dotnet run -c Release --project tests/Benchmarks -- gan-results --peer`: lesson 11's DCGAN in PyTorch.

Builds the DCGAN of lib/Generative/Models/Dcgan.cs under the same parameter names, loads our initial weights
(--initial-weights, a safetensors file written by our side), trains it on the grayscale Fashion-MNIST training images
scaled to [-1, 1] with our budget (Adam --lr, --beta1, batches of --batch in a fresh shuffle every epoch, the last
partial batch included, one D step then one G step on the same fakes, non-saturating G loss), then draws --count
images in evaluation mode and writes them as float32 rows in [0, 1] to --samples-out. Our side computes their FID with
the same classifier features as its own samples', so the two FIDs differ only by the training (batch order, noise,
rounding). Prints "# description" and "result dcgan seconds=S".
"""
import argparse
import os
import sys
import time

# Threads are fixed before torch loads: --threads, read here by hand because argparse runs later.
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv[:-1] else "1"
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_name] = _threads
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
_own_argv, sys.argv = sys.argv, sys.argv[:1] + ["--threads", _threads]  # results_peer parses its options on import
from results_peer import load_images, read_safetensors  # noqa: E402
from shared_models import Dcgan  # noqa: E402
sys.argv = _own_argv


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--initial-weights", required=True)
    parser.add_argument("--samples-out", required=True)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--beta1", type=float, default=0.5)
    parser.add_argument("--latent", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"# PyTorch {torch.__version__}, {args.threads} thread(s), float32; DCGAN from our initial weights")
    sys.stdout.flush()

    model = Dcgan(args.latent)
    state = read_safetensors(args.initial_weights)
    missing, unexpected = model.load_state_dict(state, strict=False)
    # PyTorch's batch norm counts its batches in a buffer ours does not keep; every other tensor must be there.
    if unexpected or any(not key.endswith("num_batches_tracked") for key in missing):
        raise SystemExit(f"gan_peer.py: {args.initial_weights} does not fit: missing {missing}, unexpected {unexpected}")
    g, d = model.generator_network, model.discriminator_network
    opt_g = torch.optim.Adam(g.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    images = load_images(args.data_dir, "train", binarize=False) * 2 - 1
    rng = torch.Generator().manual_seed(args.seed)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        order = torch.randperm(images.shape[0], generator=rng)
        for first in range(0, images.shape[0], args.batch):
            real = images[order[first:first + args.batch]]
            fake = g(torch.randn(real.shape[0], args.latent, generator=rng))
            opt_d.zero_grad(set_to_none=True)
            real_logits, fake_logits = d(real), d(fake.detach())
            loss_d = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits)) + \
                F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
            loss_d.backward()
            opt_d.step()
            opt_g.zero_grad(set_to_none=True)
            logits = d(fake)
            loss_g = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
            loss_g.backward()
            opt_g.step()
        print(f"# epoch {epoch + 1}: D loss {loss_d.item():.3f}, G loss {loss_g.item():.3f}, {time.perf_counter() - start:.0f} s",
              file=sys.stderr)
    seconds = time.perf_counter() - start
    g.eval()
    with torch.no_grad():
        samples = ((g(torch.randn(args.count, args.latent, generator=rng)) + 1) / 2).clamp(0, 1).reshape(args.count, 784)
    samples.numpy().astype("<f4").tofile(args.samples_out)
    print(f"result dcgan seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
