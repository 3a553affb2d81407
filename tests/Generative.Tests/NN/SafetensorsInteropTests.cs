using Generative.NN;
using Generative.Tests.Data;

namespace Generative.Tests.NN;

/// <summary>
/// Files exchanged with the reference implementation itself (the <c>safetensors</c> Python package, with torch):
/// it reads what Save writes, and Load reads what it writes. Debian does not package safetensors, so this is
/// skipped with the reason unless /usr/bin/python3 can import it.
/// </summary>
public class SafetensorsInteropTests
{
    /// <summary>Loads argv[1] with the reference reader, checks it, and writes argv[2] with the reference writer.</summary>
    private const string Script = """
        import sys, torch
        from safetensors.torch import load_file, save_file
        from safetensors import safe_open
        tensors = load_file(sys.argv[1])
        assert sorted(tensors) == ['bias', 'scalar', 'weight'], sorted(tensors)
        assert tensors['weight'].dtype == torch.float32 and tuple(tensors['weight'].shape) == (2, 3)
        assert tensors['weight'].flatten().tolist() == [0.5, -1.0, 2.0, 3.0, 4.0, 5.0]
        assert tuple(tensors['scalar'].shape) == () and tensors['scalar'].item() == 7.0
        with safe_open(sys.argv[1], framework='pt') as f:
            assert f.metadata() == {'format': 'pt'}, f.metadata()
        save_file({'doubled': tensors['weight'] * 2, 'bias': tensors['bias']}, sys.argv[2], metadata={'by': 'reference'})
        """;

    [SafetensorsPackageFact]
    public void SaveAndLoad_ReferenceImplementation_ReadsOursAndWeReadItsFiles()
    {
        using var folder = new TemporaryDirectory();
        var ours = folder.File("ours.safetensors");
        var theirs = folder.File("theirs.safetensors");
        Safetensors.Save(ours, new Dictionary<string, (int[] Shape, float[] Data)>
        {
            ["weight"] = ([2, 3], [0.5f, -1f, 2f, 3f, 4f, 5f]),
            ["bias"] = ([2], [0.25f, -0.25f]),
            ["scalar"] = ([], [7f]),
        }, new Dictionary<string, string> { ["format"] = "pt" });

        var (exitCode, error) = DebianPython.Run(Script, ours, theirs);
        Assert.True(exitCode == 0, $"the reference implementation rejected our file: {error}");

        var file = Safetensors.Load(theirs);
        Assert.Equal([1f, -2f, 4f, 6f, 8f, 10f], file["doubled"].Data);
        Assert.Equal([2, 3], file["doubled"].Shape);
        Assert.Equal([0.25f, -0.25f], file["bias"].Data);
        Assert.Equal("reference", file.Metadata["by"]);
    }
}

/// <summary>A fact that runs when /usr/bin/python3 can import safetensors.torch and is skipped with that reason
/// otherwise (Debian has no package for it, so CI cannot be asked to install it).</summary>
public sealed class SafetensorsPackageFactAttribute : FactAttribute
{
    public SafetensorsPackageFactAttribute()
    {
        if (DebianPython.WhyUnavailable("import safetensors.torch", "The safetensors reference implementation",
                "it is a pip package (safetensors) with torch, not in Debian") is { } reason)
            Skip = reason;
    }
}
