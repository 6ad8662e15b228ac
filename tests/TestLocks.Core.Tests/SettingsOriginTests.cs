using System.Reflection;
using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>Each setting's origin is kept by the settings themselves: code that sets a property is blamed for it, and
/// nothing outside TestLocks can set or drop an origin (issue 25: <c>new TestLocksSettings { LockPath = "/x",
/// Origins = loaded.Origins }</c> used to drop the "code" origin, so later errors blamed the INI line).</summary>
public sealed class SettingsOriginTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [Fact]
    public void No_public_member_sets_or_replaces_the_origins() =>
        Assert.DoesNotContain(typeof(TestLocksSettings).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static),
            m => m.Name.Contains("Origins", StringComparison.Ordinal));

    [Fact]
    public void An_error_after_a_code_override_names_code_and_the_file_keeps_its_origins_for_the_rest()
    {
        using var dir = new LockDir();
        var conf = Path.Combine(dir.Path, "testlocks.conf");
        File.WriteAllText(conf, $"[oslo_concurrency]\nlock_path = {dir.Path}\n[testlocks]\nbackend_url = file://{dir.Path}\n");
        var loaded = TestLocksSettings.Load(conf, NoEnvironment);
        Assert.Equal($"[testlocks] backend_url in {conf} (line 4)", loaded.OriginOf(nameof(loaded.BackendUrl)));

        foreach (var coded in new[] { loaded with { BackendUrl = "not a url" }, new TestLocksSettings { LockPath = dir.Path, BackendUrl = "not a url" } })
        {
            var error = Assert.Throws<TestLocksConfigurationException>(() => new LockFactory(coded).CreateLock(LockDir.UniqueName("origin")).Acquire());
            Assert.Contains("(from code (TestLocksSettings.BackendUrl))", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(conf, error.Message, StringComparison.Ordinal);
        }
        var overridden = loaded with { BackendUrl = "not a url" };
        Assert.Equal($"[oslo_concurrency] lock_path in {conf} (line 2)", overridden.OriginOf(nameof(overridden.LockPath)));
    }
}
