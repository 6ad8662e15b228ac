using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using TestLocks.Packaging.Tests.Infrastructure;

namespace TestLocks.Packaging.Tests;

/// <summary>What build/pack.sh makes: one package per library, versioned from git, documented, path-independent.</summary>
[Collection(NewUserCollection.Name)]
public sealed class PackageTests(NewUser user)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private IReadOnlyList<string> Nupkgs()
    {
        user.RequirePackages();
        return Directory.GetFiles(user.Packages, "*.nupkg").Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Packing_from_a_clone_under_a_src_folder_makes_one_package_per_library_and_nothing_else()
    {
        var ids = Nupkgs().Select(f => Nuspec(f).Id).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Repository.PackageProjects, ids);
        Assert.Contains("TestLocks.Core", ids);
        Assert.DoesNotContain(ids, id => id.EndsWith(".Tests", StringComparison.Ordinal) || id.EndsWith(".Scenarios", StringComparison.Ordinal)
            || new[] { "Sample", "Helper", "Fixture", "Demo", "Bench", "Probe" }.Any(word => id.Contains(word, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_package_has_the_commits_version_a_readme_a_description_tags_and_the_repository()
    {
        var commit = Repository.Commit;
        var tagged = Repository.TagsOnHead.Length > 0;
        Assert.Single(Nupkgs().Select(f => Nuspec(f).Version).Distinct());
        foreach (var nupkg in Nupkgs())
        {
            var spec = Nuspec(nupkg);
            if (tagged)
                Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", spec.Version);
            else   // a pre-release that names the commit: two commits never share a version
                Assert.Matches($@"^\d+\.\d+\.\d+-alpha\.0(\.\d+)?\.g{commit[..10]}$", spec.Version);
            Assert.Equal("README.md", spec.Readme);
            using var zip = ZipFile.OpenRead(nupkg);
            var readme = new StreamReader(zip.GetEntry("README.md")!.Open()).ReadToEnd();
            Assert.Contains($"# {spec.Id}", readme, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(spec.Description), $"{spec.Id} has no description");
            Assert.False(string.IsNullOrWhiteSpace(spec.Tags), $"{spec.Id} has no tags");
            Assert.Equal("Apache-2.0", spec.License);
            Assert.StartsWith("https://github.com/", spec.RepositoryUrl, StringComparison.Ordinal);
            Assert.Equal(commit, spec.RepositoryCommit);
            Assert.Equal(spec.RepositoryUrl, spec.ProjectUrl);
        }
    }

    [Fact]
    public void Package_assemblies_name_no_local_path_and_link_their_sources_to_the_commit()
    {
        foreach (var nupkg in Nupkgs())
        {
            var id = Nuspec(nupkg).Id;
            using var zip = ZipFile.OpenRead(nupkg);
            // A library's assembly is lib/net10.0/ID.dll; a .NET tool's (TestLocks.Tool) is its command's, under tools/.
            var tool = zip.Entries.SingleOrDefault(e => e.FullName == "tools/net10.0/any/DotnetToolSettings.xml");
            var assembly = tool is null ? $"lib/net10.0/{id}"
                : "tools/net10.0/any/" + XDocument.Load(tool.Open()).Descendants("Command").Single().Attribute("EntryPoint")!.Value[..^4];
            var entry = zip.Entries.Single(e => e.FullName == $"{assembly}.dll");
            using var dll = new MemoryStream();
            entry.Open().CopyTo(dll);
            dll.Position = 0;
            using var pe = new PEReader(dll);
            var embedded = pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
            using var pdbProvider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
            var pdb = pdbProvider.GetMetadataReader();

            var documents = pdb.Documents.Select(h => pdb.GetString(pdb.GetDocument(h).Name)).ToList();
            Assert.NotEmpty(documents);
            Assert.All(documents, d => Assert.StartsWith("/_/", d, StringComparison.Ordinal));
            Assert.DoesNotContain(documents, d => d.Contains(Repository.Root, StringComparison.Ordinal));

            var sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
                .Select(pdb.GetCustomDebugInformation).SingleOrDefault(c => pdb.GetGuid(c.Kind) == SourceLinkKind);
            Assert.False(sourceLink.Value.IsNil, $"{id}.dll has no SourceLink information");
            var json = System.Text.Encoding.UTF8.GetString(pdb.GetBlobBytes(sourceLink.Value));
            // The commit the DLL was built from (HEAD, unless only the version files changed since that build).
            var link = Regex.Match(json, "\"/_/\\*\"\\s*:\\s*\"https://raw\\.githubusercontent\\.com/[^/]+/[^/]+/([0-9a-f]{40})/\\*\"");
            Assert.True(link.Success, $"{id}.dll's SourceLink does not map /_/ to a commit on GitHub: {json}");
            Assert.True(Repository.HasCommit(link.Groups[1].Value), $"{id}.dll links its sources to {link.Groups[1].Value}, not a commit of this repository");
            if (tool is null) Assert.Contains($"{assembly}.xml", zip.Entries.Select(e => e.FullName));
        }
    }

    private sealed record Spec(string Id, string Version, string? Readme, string? Description, string? Tags, string? License,
        string? RepositoryUrl, string? RepositoryCommit, string? ProjectUrl);

    private static Spec Nuspec(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        var doc = XDocument.Load(entry.Open());
        var meta = doc.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Get(string name) => meta.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        var repository = meta.Elements().SingleOrDefault(e => e.Name.LocalName == "repository");
        return new Spec(Get("id")!, Get("version")!, Get("readme"), Get("description"), Get("tags"), Get("license"),
            repository?.Attribute("url")?.Value, repository?.Attribute("commit")?.Value, Get("projectUrl"));
    }
}
