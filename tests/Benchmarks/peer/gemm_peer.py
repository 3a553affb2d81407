#!/usr/bin/python3
"""Peer of `dotnet run -c Release --project tests/Benchmarks -- gemm`: OpenBLAS sgemm GFLOP/s at the course's shapes.

Times C = op(A) op(B) in float32 through numpy (whose BLAS is Debian's OpenBLAS once libopenblas0-pthread is
installed) at 1 and 2 threads, set with threadpoolctl, with the same shapes and the same best-of timing as the C#
side. `--backend torch` times torch.mm instead (torch.set_num_threads). Run it with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset (the C# driver does): they pin an old kernel and slow a current OpenBLAS.

Output, one line per measurement (parsed by the C# driver):
  # <library and kernel description>
  gemm <NN|NT|TN|TT> <m>x<n>x<k> threads=<t> gflops=<g> ms=<t>
"""
import argparse
import sys
import time

COURSE_SHAPES = [
    "NN 128x400x784", "NT 128x400x784", "NN 128x784x400", "NT 128x784x400",
    "NN 128x500x500", "NT 128x500x500", "TN 784x400x128", "TN 400x784x128", "TN 500x500x128",
]


def parse_shape(text):
    flags, dims = text.split()
    m, n, k = (int(d) for d in dims.split("x"))
    return flags[0] == "T", flags[1] == "T", m, n, k


def best_seconds_per_call(call, budget_seconds, batch_seconds):
    """Best over batches of about batch_seconds of the mean time per call, for about budget_seconds in all (the C# side
    uses the same rule). Best-of, not mean: other processes on a shared 2-core machine only ever slow a batch down."""
    for _ in range(3):
        call()
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    reps = max(1, int(batch_seconds / once))
    batches = max(10, int(budget_seconds / (reps * once)))
    best = float("inf")
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(reps):
            call()
        best = min(best, (time.perf_counter() - start) / reps)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--shapes", default=";".join(COURSE_SHAPES), help="semicolon-separated shapes like 'NT 128x400x784'")
    parser.add_argument("--seconds", type=float, default=0.6, help="time budget per shape and thread count")
    parser.add_argument("--batch-ms", type=float, default=3.0, help="length of one timed batch of calls")
    parser.add_argument("--backend", choices=["numpy", "torch"], default="numpy")
    args = parser.parse_args()
    import numpy as np

    shapes = [parse_shape(s) for s in args.shapes.split(";") if s.strip()]
    threads = [int(t) for t in args.threads.split(",")]
    rng = np.random.default_rng(42)

    if args.backend == "torch":
        import torch
        print(f"# torch {torch.__version__} (torch.mm, torch.set_num_threads); blas: {torch.__config__.show().split('BLAS_INFO=')[1].split(',')[0]}")
    else:
        from threadpoolctl import threadpool_info, threadpool_limits
        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        described = ", ".join(f"{i.get('internal_api')} {i.get('version')} kernel={i.get('architecture')} threading={i.get('threading_layer')}" for i in blas)
        print(f"# numpy {np.__version__} matmul -> {described or 'no BLAS found by threadpoolctl'}")
    sys.stdout.flush()

    for t in threads:
        for trans_a, trans_b, m, n, k in shapes:
            a = (2 * rng.random((k, m) if trans_a else (m, k), dtype=np.float32) - 1)
            b = (2 * rng.random((n, k) if trans_b else (k, n), dtype=np.float32) - 1)
            op_a = a.T if trans_a else a
            op_b = b.T if trans_b else b
            if args.backend == "torch":
                torch.set_num_threads(t)
                ta, tb = torch.from_numpy(op_a), torch.from_numpy(op_b)
                out = torch.empty((m, n), dtype=torch.float32)
                call = lambda: torch.mm(ta, tb, out=out)
                seconds = best_seconds_per_call(call, args.seconds, args.batch_ms / 1e3)
            else:
                out = np.empty((m, n), dtype=np.float32)
                call = lambda: np.matmul(op_a, op_b, out=out)
                with threadpool_limits(limits=t, user_api="blas"):
                    seconds = best_seconds_per_call(call, args.seconds, args.batch_ms / 1e3)
            flags = ("T" if trans_a else "N") + ("T" if trans_b else "N")
            print(f"gemm {flags} {m}x{n}x{k} threads={t} gflops={2.0 * m * n * k / seconds / 1e9:.1f} ms={seconds * 1e3:.4f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
