namespace Generative.Tests.Optim;

/// <summary>
/// Independent double-precision implementations of the update rules, written from the published formulas (not from
/// the library's code): one call advances a whole trajectory by one step, given the gradient at the current point.
/// </summary>
internal static class OptimizerReference
{
    /// <summary>SGD as documented for torch.optim.SGD (dampening 0): g ← g + λθ; b ← g (t = 1) or μb + g;
    /// g ← g + μb (Nesterov) or b; θ ← θ − γg.</summary>
    public sealed class Sgd(double learningRate, double momentum, double weightDecay, bool nesterov)
    {
        private double[]? _buffer;

        public void Step(double[] theta, double[] gradient)
        {
            var g = new double[theta.Length];
            for (var i = 0; i < theta.Length; i++)
            {
                g[i] = gradient[i] + weightDecay * theta[i];
            }
            if (momentum != 0)
            {
                if (_buffer is null)
                {
                    _buffer = (double[])g.Clone();
                }
                else
                {
                    for (var i = 0; i < g.Length; i++)
                    {
                        _buffer[i] = momentum * _buffer[i] + g[i];
                    }
                }
                for (var i = 0; i < g.Length; i++)
                {
                    g[i] = nesterov ? g[i] + momentum * _buffer[i] : _buffer[i];
                }
            }
            for (var i = 0; i < theta.Length; i++)
            {
                theta[i] -= learningRate * g[i];
            }
        }
    }

    /// <summary>
    /// Kingma and Ba (2014), Algorithm 1, with the L2 term of torch.optim.Adam (g ← g + λθ) and, for
    /// <paramref name="decoupled"/>, Loshchilov and Hutter (2019), Algorithm 2 ("AdamW") with schedule multiplier
    /// η_t = α and the Adam step's own α = 1 (PyTorch's parameterisation):
    /// θ_t = θ_{t−1} − η_t (α m̂_t / (√v̂_t + ε) + λ θ_{t−1}).
    /// </summary>
    public sealed class Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    {
        private double[]? _m;
        private double[]? _v;
        private int _t;

        public void Step(double[] theta, double[] gradient)
        {
            _m ??= new double[theta.Length];
            _v ??= new double[theta.Length];
            _t++;
            for (var i = 0; i < theta.Length; i++)
            {
                var g = decoupled ? gradient[i] : gradient[i] + weightDecay * theta[i];
                _m[i] = beta1 * _m[i] + (1 - beta1) * g;           // biased first moment estimate
                _v[i] = beta2 * _v[i] + (1 - beta2) * g * g;       // biased second raw moment estimate
                var mHat = _m[i] / (1 - Math.Pow(beta1, _t));      // bias-corrected
                var vHat = _v[i] / (1 - Math.Pow(beta2, _t));
                var adamStep = mHat / (Math.Sqrt(vHat) + eps);
                theta[i] = decoupled
                    ? theta[i] - learningRate * (adamStep + weightDecay * theta[i]) // η_t = learningRate, α = 1
                    : theta[i] - learningRate * adamStep;
            }
        }
    }
}
