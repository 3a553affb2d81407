using BenchmarkDotNet.Running;
using Generative.Benchmarks;

// `gemm [options]`: the quick side-by-side GEMM table (ours vs OpenBLAS). Anything else: BenchmarkDotNet, e.g.
// `--filter *Gemm*` (in-process, short runs; see EngineBenchmarkConfig).
if (args.Length > 0 && args[0] == "gemm")
{
    return QuickGemm.Run(args[1..]);
}
// `models [options]`: training steps/s of VAE, MADE, NADE and DCGAN, ours vs TorchSharp (in-process) and PyTorch
// (peer/models_peer.py).
if (args.Length > 0 && args[0] == "models")
{
    return ModelsBenchmark.Run(args[1..]);
}
// `results [options]`: test NLL of the autoregressive models trained on the full binarized Fashion-MNIST.
if (args.Length > 0 && args[0] == "results")
{
    return ResultsRun.Run(args[1..]);
}
// `vae-results [options]`: test ELBO and NLL estimate of the VAE and the IWAE on the full binarized Fashion-MNIST.
if (args.Length > 0 && args[0] == "vae-results")
{
    return VaeResultsRun.Run(args[1..]);
}
// `gan-results [options]`: FID, class accuracy and code agreement of lesson 11's GANs on the full Fashion-MNIST.
if (args.Length > 0 && args[0] == "gan-results")
{
    return GanResultsRun.Run(args[1..]);
}
// `gan-toys [--seeds 1,2,3]`: modes covered by lesson 10's GANs on the ring and the grid, per seed.
if (args.Length > 0 && args[0] == "gan-toys")
{
    return GanToysRun.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
return 0;
