namespace TorchReference.Tests;

/// <summary>A fact that needs TorchSharp: skipped with the reason where it cannot load, unless CI requires it.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (TorchAvailability.Reason is { } reason && !TorchAvailability.Required) Skip = reason;
    }
}

/// <summary>A theory that needs TorchSharp: skipped with the reason where it cannot load, unless CI requires it.</summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute()
    {
        if (TorchAvailability.Reason is { } reason && !TorchAvailability.Required) Skip = reason;
    }
}
