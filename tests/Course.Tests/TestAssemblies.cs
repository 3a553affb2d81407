using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Course.Tests;

/// <summary>Compiles small class libraries for the tests (a stand-in for the course library, so runner tests do not depend on its contents).</summary>
internal static class TestAssemblies
{
    /// <summary>Compiles <paramref name="code"/> into <paramref name="folder"/>/<paramref name="name"/>.dll, referencing the framework and <paramref name="references"/>.</summary>
    public static string Compile(string folder, string name, string code, params string[] references)
    {
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var metadata = new[] { "System.Private.CoreLib.dll", "System.Runtime.dll", "System.Console.dll", "System.Linq.dll", "System.Collections.dll" }
            .Select(file => MetadataReference.CreateFromFile(Path.Combine(runtimeFolder, file)))
            .Concat(references.Select(reference => MetadataReference.CreateFromFile(reference)));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)], metadata,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".dll");
        var result = compilation.Emit(path);
        if (!result.Success)
            throw new InvalidOperationException($"Test assembly {name} does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return path;
    }
}
