namespace TorchReference.Tests.Ops;

/// <summary>
/// The test classes that draw from libtorch's process-wide default generator (module constructors initialise their
/// weights from it; the dropout test seeds it and draws its mask from it) run one after another in this collection, so
/// that the seeded draws of one are not interleaved with another's.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchGlobalGeneratorCollection
{
    public const string Name = "libtorch's default generator";
}
