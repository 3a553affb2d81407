namespace Generative.Notebook;

/// <summary>
/// Thrown by <see cref="Check.Agrees(string, double, double, double)"/> when a lesson's hand derivation and the
/// library disagree: the lesson's story is broken, so running (or <c>check</c>ing) the notebook must fail.
/// </summary>
public sealed class CheckFailedException : Exception
{
    /// <summary>Creates the exception with a message naming the quantity, both values and the tolerance.</summary>
    public CheckFailedException(string message) : base(message)
    {
    }
}
