// Rebuilds datasets/fashion-mnist: the embedded subset the lessons load with FashionMnist.LoadEmbedded, and its
// SHA256SUMS. Usage (from the repository root):
//   dotnet run --project tools/Datasets -- --from /usr/share/datasets/fashion-mnist --out datasets/fashion-mnist
// --from must hold the four official Fashion-MNIST .gz files (any gzip header; the content is checked).
using System.Security.Cryptography;
using Generative.Data;

var options = ParseArguments(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Datasets --from <folder with the official .gz files> --out <datasets/fashion-mnist>");
    return 2;
}
var (from, output) = options.Value;
Directory.CreateDirectory(output);

var sums = new List<(string Name, string Hex)>();
foreach (var (split, count) in new[] { (DatasetSplit.Train, FashionMnist.EmbeddedTrainCount), (DatasetSplit.Test, FashionMnist.EmbeddedTestCount) })
{
    // LoadFromDirectory verifies the decompressed content against the official SHA-256 before we copy anything.
    var full = FashionMnist.LoadFromDirectory(from, split);
    var subset = full.Take(count);
    var (imagesName, labelsName) = FashionMnist.EmbeddedFileNames(split);
    Idx.Write(Path.Combine(output, imagesName), new IdxArray([subset.Count, subset.Height, subset.Width], subset.Pixels), gzip: true);
    Idx.Write(Path.Combine(output, labelsName), new IdxArray([subset.Count], subset.Labels), gzip: true);
    foreach (var name in new[] { imagesName, labelsName })
    {
        sums.Add((name, Hex(File.ReadAllBytes(Path.Combine(output, name)))));
    }
    Console.WriteLine($"{split}: first {subset.Count} of {full.Count} images -> {imagesName}, {labelsName}");
}

var sumsText = string.Concat(sums.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => $"{s.Hex}  {s.Name}\n"));
File.WriteAllText(Path.Combine(output, "SHA256SUMS"), sumsText);
Console.Write(sumsText);

ReportOfficialHashes(from);
return 0;

static (string From, string Output)? ParseArguments(string[] args)
{
    string? from = null, output = null;
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        switch (args[i])
        {
            case "--from": from = args[i + 1]; break;
            case "--out": output = args[i + 1]; break;
            default: return null;
        }
    }
    return from is null || output is null || args.Length % 2 != 0 ? null : (from, output);
}

static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

// Shows whether the source files are byte-identical to the official downloads. Debian's package keeps the official
// deflate streams but its build normalises gzip headers (no file name, mtime of the package build); putting the
// original header back (file name, and the mtime recorded when Zalando compressed the files on 2017-08-31)
// reproduces the official files exactly, which ties the Debian copy to the published SHA-256 values.
static void ReportOfficialHashes(string from)
{
    var originalMtimes = new Dictionary<string, uint>
    {
        ["train-images-idx3-ubyte.gz"] = 1504176606,
        ["train-labels-idx1-ubyte.gz"] = 1504176606,
        ["t10k-images-idx3-ubyte.gz"] = 1504176627,
        ["t10k-labels-idx1-ubyte.gz"] = 1504176627,
    };
    foreach (var (name, official) in FashionMnist.OfficialGzipSha256.OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        var bytes = File.ReadAllBytes(Path.Combine(from, name));
        var actual = Hex(bytes);
        string verdict;
        if (actual == official)
        {
            verdict = "identical to the official file";
        }
        else if (bytes.Length > 10 && bytes[3] == 0)
        {
            // Rebuild the official header: ID1 ID2 CM FLG=FNAME MTIME XFL=0 OS=3 (Unix) name NUL.
            var header = new List<byte> { 0x1F, 0x8B, 0x08, 0x08 };
            header.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes(originalMtimes[name]) : BitConverter.GetBytes(originalMtimes[name]).Reverse());
            header.AddRange([0x00, 0x03]);
            header.AddRange(System.Text.Encoding.ASCII.GetBytes(Path.GetFileNameWithoutExtension(name)));
            header.Add(0);
            var rebuilt = Hex([.. header, .. bytes[10..]]);
            verdict = rebuilt == official
                ? "repackaged; with the original gzip header restored it is identical to the official file"
                : "differs from the official file (content was still verified)";
        }
        else
        {
            verdict = "differs from the official file (content was still verified)";
        }
        Console.WriteLine($"{name}: sha256 {actual}; official {official}: {verdict}");
    }
}
