using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TestLocks.Packaging.Tests.Infrastructure;

/// <summary>Compiles a C# block of the documentation as a user's project would: C# latest, nullable, the SDK's implicit
/// usings, against the assemblies of a new-user project (the TestLocks packages and their framework) and .NET itself.</summary>
internal static class SnippetCompiler
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private static readonly IReadOnlyList<MetadataReference> Runtime =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                    || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();

    /// <summary>The global usings a user's project gives its files: the SDK's implicit ones and those its packages and
    /// project file add (the MSTest template's, TUnit's), as the build generated them.</summary>
    public static string GlobalUsingsOf(string project) =>
        Directory.Exists(Path.Combine(project, "obj"))
        && Directory.GetFiles(Path.Combine(project, "obj"), "*.GlobalUsings.g.cs", SearchOption.AllDirectories) is [var generated, ..]
            ? File.ReadAllText(generated)
            : ImplicitUsings;

    /// <summary>The errors of compiling <paramref name="block"/> against the DLLs in <paramref name="binFolder"/>
    /// (less the project's own), with the project's <paramref name="globalUsings"/>, one per line; empty when it compiles.</summary>
    public static IReadOnlyList<string> Errors(CodeBlock block, string binFolder, string globalUsings = ImplicitUsings)
    {
        var tree = CSharpSyntaxTree.ParseText(block.Code, Parse, path: block.File);
        var isProgram = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var references = Directory.GetFiles(binFolder, "*.dll")
            .Where(f => Path.GetFileName(f) != "MyTests.dll")
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f));
        var compilation = CSharpCompilation.Create("Snippet",
            [tree, CSharpSyntaxTree.ParseText(globalUsings, Parse)],
            Runtime.Concat(references),
            new CSharpCompilationOptions(isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false));
        using var sink = new MemoryStream();
        var result = compilation.Emit(sink);
        return result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{block.File}:{block.Line + d.Location.GetLineSpan().StartLinePosition.Line}: {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
    }
}
