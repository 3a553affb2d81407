using System.Globalization;

namespace Generative.Notebook;

/// <summary>
/// Self-checks for notebooks. <c>Answer</c> grades a learner's exercise and never throws; <c>Agrees</c> ties a
/// lesson's hand derivation to the library and throws <see cref="CheckFailedException"/> when they part.
/// Tolerances are absolute: |answer - expected| &lt;= tolerance.
/// </summary>
/// <remarks>
/// Displayed text rounds numbers to 6 significant digits and never shows the tiny difference between two
/// agreeing values: that last-bit noise can vary between machines and would make stored outputs unstable.
/// </remarks>
public static class Check
{
    /// <summary>Grades a numeric answer: ✔ when |answer - expected| &lt;= tolerance, else ✗ "not yet" with the hint.</summary>
    public static CheckResult Answer(string exercise, double answer, double expected, double tolerance, string? hint = null)
    {
        if (!IsValidTolerance(tolerance))
        {
            return Misconfigured(exercise, tolerance);
        }
        if (double.IsNaN(answer))
        {
            return NotYet(exercise, "your answer is NaN", hint);
        }
        return Math.Abs(answer - expected) <= tolerance
            ? Correct(exercise)
            : NotYet(exercise, $"your answer: {Format(answer)}", hint);
    }

    /// <summary>Grades an integer answer, which must equal <paramref name="expected"/> exactly.</summary>
    public static CheckResult Answer(string exercise, long answer, long expected, string? hint = null) =>
        answer == expected ? Correct(exercise) : NotYet(exercise, $"your answer: {answer.ToString(CultureInfo.InvariantCulture)}", hint);

    /// <summary>Grades a yes/no answer.</summary>
    public static CheckResult Answer(string exercise, bool answer, bool expected, string? hint = null) =>
        answer == expected ? Correct(exercise) : NotYet(exercise, $"your answer: {(answer ? "true" : "false")}", hint);

    /// <summary>Grades a vector answer: same length and every entry within <paramref name="tolerance"/>.</summary>
    public static CheckResult Answer(string exercise, IReadOnlyList<double>? answer, IReadOnlyList<double> expected, double tolerance, string? hint = null)
    {
        if (!IsValidTolerance(tolerance) || expected is null)
        {
            return Misconfigured(exercise, tolerance);
        }
        if (answer is null)
        {
            return NotYet(exercise, "no answer yet", hint);
        }
        if (answer.Count != expected.Count)
        {
            return NotYet(exercise, $"expected {expected.Count} values, got {answer.Count}", hint);
        }
        var wrong = Enumerable.Range(0, expected.Count)
            .Count(i => double.IsNaN(answer[i]) || !(Math.Abs(answer[i] - expected[i]) <= tolerance));
        return wrong == 0 ? Correct(exercise) : NotYet(exercise, $"{wrong} of {expected.Count} values are off", hint);
    }

    /// <summary>
    /// Asserts that a value derived by hand in the lesson matches the library's: returns ✔ when
    /// |handDerived - library| &lt;= tolerance, and otherwise throws.
    /// </summary>
    /// <exception cref="CheckFailedException">They differ by more than the tolerance (or either is NaN); the message
    /// names <paramref name="what"/>, both values and the tolerance.</exception>
    public static CheckResult Agrees(string what, double handDerived, double library, double tolerance)
    {
        RequireValidTolerance(tolerance);
        if (!(Math.Abs(handDerived - library) <= tolerance) && !(handDerived == library))
        {
            throw new CheckFailedException(
                $"{what}: the hand-derived value {Exact(handDerived)} and the library's {Exact(library)} differ by more than the tolerance {Exact(tolerance)}.");
        }
        return new CheckResult(true, what, $"hand derivation agrees with the library ({Format(library)})");
    }

    /// <summary>Element-wise <see cref="Agrees(string, double, double, double)"/> for vectors of equal length.</summary>
    /// <exception cref="CheckFailedException">Lengths differ or some entry differs by more than the tolerance.</exception>
    public static CheckResult Agrees(string what, IReadOnlyList<double> handDerived, IReadOnlyList<double> library, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(handDerived);
        ArgumentNullException.ThrowIfNull(library);
        RequireValidTolerance(tolerance);
        if (handDerived.Count != library.Count)
        {
            throw new CheckFailedException($"{what}: the hand derivation has {handDerived.Count} values but the library has {library.Count}.");
        }
        for (var i = 0; i < library.Count; i++)
        {
            if (!(Math.Abs(handDerived[i] - library[i]) <= tolerance) && !(handDerived[i] == library[i]))
            {
                throw new CheckFailedException(
                    $"{what}: at [{i}] the hand-derived value {Exact(handDerived[i])} and the library's {Exact(library[i])} differ by more than the tolerance {Exact(tolerance)}.");
            }
        }
        return new CheckResult(true, what, $"hand derivation agrees with the library ({library.Count} values)");
    }

    private static CheckResult Correct(string exercise) => new(true, exercise, "correct");

    private static CheckResult NotYet(string exercise, string detail, string? hint) =>
        new(false, exercise, string.IsNullOrWhiteSpace(hint) ? $"not yet ({detail})." : $"not yet ({detail}). Hint: {hint}");

    private static CheckResult Misconfigured(string exercise, double tolerance) =>
        new(false, exercise, $"this check is misconfigured (tolerance {Format(tolerance)}, expected values must be given); please report it.");

    private static bool IsValidTolerance(double tolerance) => tolerance >= 0 && !double.IsInfinity(tolerance);

    private static void RequireValidTolerance(double tolerance)
    {
        if (!IsValidTolerance(tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be finite and >= 0.");
        }
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
