using System.Collections.Concurrent;

namespace TestLocks.Packaging.Tests.Infrastructure;

/// <summary>
/// A new user, once per test run: the packages made by build/pack.sh into a temporary folder, then the getting-started
/// steps of each framework's page (docs/xunit-v3.md, docs/xunit.md, docs/nunit.md, docs/mstest.md, docs/tunit.md, and
/// docs/core.md for plain .NET) run verbatim, each in an empty folder, all at once, with the user's NuGet cache.
/// The tests then look at what the user got, and go on from there.
/// </summary>
public sealed class NewUser : IAsyncLifetime
{
    /// <summary>The frameworks of the getting-started steps (the pages' <c>new-user</c> markers, <see cref="Markdown.RecipePages"/>).</summary>
    public static readonly string[] Frameworks = ["xunit.v3", "xunit", "nunit", "mstest", "tunit", "core"];

    private readonly ConcurrentDictionary<string, ShellResult> _steps = new();

    public string Workspace { get; } = Directory.CreateTempSubdirectory("testlocks-newuser-").FullName;

    public string Packages => Path.Combine(Workspace, "packages");

    /// <summary>What build/pack.sh printed and returned.</summary>
    public ShellResult Pack { get; private set; } = null!;

    /// <summary>The environment of a new user's shell: where the packages are, and a lock_path of this run's own.</summary>
    public Dictionary<string, string> Env { get; } = [];

    /// <summary>The folder the getting-started steps for <paramref name="framework"/> made (they start with mkdir MyTests).</summary>
    public string Project(string framework) => Path.Combine(Workspace, framework, "MyTests");

    /// <summary>The result of the getting-started steps for <paramref name="framework"/>.</summary>
    public ShellResult Steps(string framework) => _steps[framework];

    public async ValueTask InitializeAsync()
    {
        Env["TESTLOCKS_PACKAGES"] = Packages;
        Env["TESTLOCKS_LOCK_PATH"] = Path.Combine(Workspace, "locks");
        Env["DOTNET_NOLOGO"] = "1";
        Env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        Env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        // In Release (build/test.sh), the packages are made from the Release build this project's references just made,
        // as `./build/pack.sh --no-build` does after `dotnet build -c Release`; otherwise pack.sh builds them itself.
        var noBuild = typeof(NewUser).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value == "Release";
        // Packed through a path with /src/ in it, like a clone at ~/src/TestLocks: what is a package never depends on the path.
        var clone = Path.Combine(Workspace, "src", "TestLocks");
        Directory.CreateDirectory(Path.GetDirectoryName(clone)!);
        Directory.CreateSymbolicLink(clone, Repository.Root);
        Pack = await Shell.RunAsync($"../src/TestLocks/build/pack.sh {(noBuild ? "--no-build " : "")}'{Packages}'", Path.Combine(Workspace, "pack"),
            new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        File.Delete(clone);   // the link only, at once: nothing may ever delete through it
        if (Pack.ExitCode != 0) return;

        // One NuGet cache, the user's own. A re-pack of an uncommitted change keeps the commit's version, so this version
        // of the TestLocks packages is always unpacked anew.
        var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Packages, "TestLocks.Core.*.nupkg").Single())["TestLocks.Core.".Length..];
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var package in Directory.Exists(cache) ? Directory.GetDirectories(cache, "testlocks.*") : [])
        {
            var stale = Path.Combine(package, version);
            if (Directory.Exists(stale)) Directory.Delete(stale, recursive: true);
        }

        await Task.WhenAll(Frameworks.Select(async framework =>
            _steps[framework] = await Shell.RunAsync(Markdown.NewUserSteps(framework).Code, Path.Combine(Workspace, framework), Env)));

        // docs/core.md's last step for plain .NET: Program.cs becomes its example program, then `dotnet run`. The other
        // library package the docs show comes along, for the C# blocks that use it.
        if (_steps["core"].ExitCode == 0)
        {
            await File.WriteAllTextAsync(Path.Combine(Project("core"), "Program.cs"), UseExample.Code);
            UseRun = await Shell.RunAsync("dotnet add package TestLocks.Processes --prerelease\ndotnet run", Project("core"), Env);
        }
    }

    /// <summary>docs/core.md's example program: the C# block that creates a lock with LockFactory.Default.</summary>
    public static CodeBlock UseExample => Markdown.Blocks(Markdown.RecipePages["core"])
        .First(b => b.Language == "csharp" && b.Code.Contains("LockFactory.Default.CreateLock", StringComparison.Ordinal));

    /// <summary>The plain .NET project running docs/core.md's example program (null when README's steps failed before).</summary>
    public ShellResult? UseRun { get; private set; }

    public ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("TESTLOCKS_KEEP_NEWUSER") != "1")
        {
            try { Directory.Delete(Workspace, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Fails the calling test with the packer's output when packing failed.</summary>
    public void RequirePackages() =>
        Assert.True(Pack.ExitCode == 0, $"build/pack.sh failed, so nothing else could be tried:\n{Pack.Tail()}");

    /// <summary>Fails the calling test unless the getting-started steps for <paramref name="framework"/> ran to the end.</summary>
    public string RequireProject(string framework)
    {
        RequirePackages();
        var steps = Steps(framework);
        Assert.True(steps.ExitCode == 0, $"{Markdown.RecipePages[framework]}'s getting-started steps for {framework} failed:\n{steps.Tail()}");
        return Project(framework);
    }

    /// <summary>Copies a new-user project (without bin/ and obj/) to <paramref name="name"/> in the workspace.</summary>
    public string CopyProject(string framework, string name)
    {
        var source = RequireProject(framework);
        var target = Path.Combine(Workspace, name, "MyTests");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            // The project as Getting started leaves it: not the race probe another test adds to the shared project.
            if (Path.GetFileName(relative).StartsWith("RaceProbe", StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        return target;
    }
}

[CollectionDefinition(Name)]
public sealed class NewUserCollection : ICollectionFixture<NewUser>
{
    public const string Name = "new user";
}
