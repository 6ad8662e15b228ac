using System.Reflection;

namespace TestLocks.Packaging.Tests.Infrastructure;

/// <summary>The checkout under test, and the git facts a package version is made from.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The full commit id of HEAD.</summary>
    public static string Commit => Git("rev-parse HEAD");

    /// <summary>Whether <paramref name="commit"/> is a commit of this repository.</summary>
    public static bool HasCommit(string commit) => Git($"cat-file -t {commit}") == "commit";

    /// <summary>The version tags (v*) on HEAD, if any.</summary>
    public static string TagsOnHead => Git("tag --points-at HEAD --list v*");

    /// <summary>Project files that declare themselves packages with &lt;IsPackable&gt;true&lt;/IsPackable&gt;.</summary>
    public static IReadOnlyList<string> PackageProjects => Git("ls-files -co --exclude-standard *.csproj")
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(p => File.ReadAllText(Path(p)).Contains("<IsPackable>true</IsPackable>", StringComparison.Ordinal))
        .Select(p => System.IO.Path.GetFileNameWithoutExtension(p))
        .Order(StringComparer.Ordinal).ToList();

    private static string Git(string arguments)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git", arguments) { WorkingDirectory = Root, RedirectStandardOutput = true };
        using var git = System.Diagnostics.Process.Start(psi)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0) throw new InvalidOperationException($"git {arguments} failed with exit code {git.ExitCode} in {Root}");
        return output.Trim();
    }
}
