namespace Generative.Inference;

/// <summary>What a Markov chain Monte Carlo run produced.</summary>
/// <param name="Samples">The chain's states after each step, in order (the start is not included); consecutive
/// samples are correlated, and a rejected proposal repeats the previous state.</param>
/// <param name="AcceptanceRate">The fraction of proposals accepted.</param>
public sealed record McmcResult(double[][] Samples, double AcceptanceRate);

/// <summary>
/// Markov chain Monte Carlo samplers for a density known up to a constant: each builds a Markov chain whose
/// stationary distribution is p(z) ∝ exp(logDensity(z)), so only ratios p(z') / p(z) are ever needed (an unnormalised
/// posterior p(x, z) is enough; the evidence p(x) cancels).
/// </summary>
/// <remarks>
/// Both are Metropolis-Hastings: propose z' ~ q(z' | z), accept with probability
/// min(1, p(z') q(z | z') / (p(z) q(z' | z))), else stay. The acceptance test makes the chain satisfy detailed
/// balance, p(z) T(z → z') = p(z') T(z' → z), so p is left invariant whatever the proposal.
/// </remarks>
public static class Mcmc
{
    /// <summary>
    /// Random-walk Metropolis (Metropolis et al. 1953): z' = z + stepSize · ε with ε ~ N(0, I). The proposal is
    /// symmetric, so the acceptance probability is min(1, p(z') / p(z)).
    /// </summary>
    /// <exception cref="ArgumentException">An empty or non-finite start, a start where the density is 0, steps below
    /// 1 or a step size that is not finite and positive.</exception>
    public static McmcResult MetropolisHastings(Func<double[], double> logDensity, IReadOnlyList<double> start, int steps,
        double stepSize, Generator generator)
    {
        Validate(logDensity, start, steps, stepSize, generator);
        return Run(start, steps, generator, logDensity, gradient: null, stepSize);
    }

    /// <summary>
    /// The Metropolis-adjusted Langevin algorithm (Roberts and Tweedie 1996): a gradient-guided proposal
    /// z' = z + (h/2) ∇log p(z) + √h · ε with h = stepSize², corrected by the Metropolis-Hastings test for its
    /// asymmetry. Following the gradient lets it take larger steps than a random walk at the same acceptance rate.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="MetropolisHastings"/>, or a gradient of the wrong length.</exception>
    public static McmcResult Mala(Func<double[], double> logDensity, Func<double[], double[]> gradLogDensity,
        IReadOnlyList<double> start, int steps, double stepSize, Generator generator)
    {
        Validate(logDensity, start, steps, stepSize, generator);
        ArgumentNullException.ThrowIfNull(gradLogDensity);
        return Run(start, steps, generator, logDensity, gradLogDensity, stepSize);
    }

    private static McmcResult Run(IReadOnlyList<double> start, int steps, Generator generator, Func<double[], double> logDensity,
        Func<double[], double[]>? gradient, double stepSize)
    {
        var dimension = start.Count;
        var h = stepSize * stepSize;
        var current = start.ToArray();
        var currentLog = logDensity(current);
        if (!(currentLog > double.NegativeInfinity) || double.IsNaN(currentLog))
        {
            throw new ArgumentException(FormattableString.Invariant($"Mcmc: the log density at the start is {currentLog}; start where the density is positive."), nameof(start));
        }
        var currentDrift = Drift(current);
        var samples = new double[steps][];
        var accepted = 0;
        for (var step = 0; step < steps; step++)
        {
            var proposal = new double[dimension];
            for (var d = 0; d < dimension; d++)
            {
                proposal[d] = current[d] + currentDrift[d] + stepSize * generator.Normal();
            }
            var proposalLog = logDensity(proposal);
            var proposalDrift = Drift(proposal);
            // log q(z | z') − log q(z' | z) for the Gaussian proposal N(z + drift(z), h I); zero for the random walk.
            var correction = gradient is null ? 0 : (SquaredGap(proposal, current, currentDrift) - SquaredGap(current, proposal, proposalDrift)) / (2 * h);
            var logAcceptance = proposalLog - currentLog + correction;
            // Comparing logs: accept when log u < log α, u uniform in [0, 1); NaN (a density undefined there) rejects.
            if (logAcceptance >= 0 || Math.Log(generator.NextDouble()) < logAcceptance)
            {
                (current, currentLog, currentDrift) = (proposal, proposalLog, proposalDrift);
                accepted++;
            }
            samples[step] = current;
        }
        return new McmcResult(samples, steps == 0 ? 0 : (double)accepted / steps);

        double[] Drift(double[] z)
        {
            if (gradient is null) return new double[dimension];
            var g = gradient(z);
            if (g is null || g.Length != dimension)
            {
                throw new ArgumentException($"Mcmc.Mala: the gradient has {g?.Length ?? 0} entries for a {dimension}-dimensional state.", nameof(gradient));
            }
            return g.Select(value => 0.5 * h * value).ToArray();
        }
    }

    /// <summary>‖to − from − drift‖², the exponent's numerator of the proposal density q(to | from).</summary>
    private static double SquaredGap(double[] to, double[] from, double[] drift)
    {
        var sum = 0.0;
        for (var d = 0; d < to.Length; d++)
        {
            var gap = to[d] - from[d] - drift[d];
            sum += gap * gap;
        }
        return sum;
    }

    private static void Validate(Func<double[], double> logDensity, IReadOnlyList<double> start, int steps, double stepSize, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(logDensity);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(generator);
        if (start.Count == 0 || start.Any(value => !double.IsFinite(value)))
        {
            throw new ArgumentException($"Mcmc: the start ({string.Join(", ", start)}) must be a non-empty, finite point.", nameof(start));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (!(stepSize > 0) || double.IsInfinity(stepSize))
        {
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "Mcmc: the step size must be finite and positive.");
        }
    }
}
