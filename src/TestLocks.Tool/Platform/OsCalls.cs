using System.Diagnostics.CodeAnalysis;

// OS calls belong under Platform/ (RS0030, BannedApiAnalyzers: .editorconfig at the root turns it off for the files
// here). The interop generator writes the marshalling code of the [LibraryImport] declarations here into a generated
// file that .editorconfig does not reach, inside these same types: exempt by this folder's namespace (IDE0130 keeps
// namespace and folder equal), so nothing outside Platform/ is exempt.
[assembly: SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Scope = "namespaceanddescendants", Target = "~N:TestLocks.Tool.Platform",
    Justification = "OS calls live under Platform/; this covers the interop generator's code for the declarations there.")]
