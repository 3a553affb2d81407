namespace Generative.Optim;

/// <summary>
/// What an <see cref="Optimizer"/> remembers between steps (PyTorch's <c>optimizer.state_dict()</c>): its kind, the
/// learning rate, and per parameter its buffers (Adam's moment estimates, SGD's momentum) and counters (Adam's step
/// count). Keys are <c>"{parameter index}.{name}"</c> with PyTorch's names: <c>exp_avg</c>, <c>exp_avg_sq</c>,
/// <c>step</c>, <c>momentum_buffer</c>. A parameter that has not been stepped yet has no buffer entries.
/// </summary>
/// <param name="Optimizer">The optimiser's type name (e.g. <c>Adam</c>); state loads only into the same kind.</param>
/// <param name="LearningRate">The learning rate when the state was taken (a schedule may have changed it).</param>
/// <param name="Buffers">Per-parameter buffers, each as long as its parameter.</param>
/// <param name="Counters">Per-parameter counters.</param>
public sealed record OptimizerState(string Optimizer, double LearningRate,
    IReadOnlyDictionary<string, float[]> Buffers, IReadOnlyDictionary<string, long> Counters);
