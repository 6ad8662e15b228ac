using TestLocks.Backends;
using TestLocks.Core.Tests;

[assembly: LockBackendProvider("testlocks-probe", typeof(BackendRegistryTests.ProbeProvider))]
[assembly: LockBackendProvider("testlocks-broken", typeof(string))]

namespace TestLocks.Core.Tests;

/// <summary>Backends are found by the scheme their assembly declares (LockBackendProviderAttribute), not by type names,
/// and each names its own kind (LockBackend.Kind).</summary>
public sealed class BackendRegistryTests
{
    [Fact]
    public void A_backend_url_scheme_that_an_assembly_declares_gets_that_assemblys_provider_and_its_kind()
    {
        var factory = new LockFactory(new TestLocksSettings { BackendUrl = "TestLocks-Probe://server/x" });

        var @lock = factory.CreateLock(LockDir.UniqueName("registry"));

        Assert.Equal("probe", @lock.BackendKind);
        Assert.Contains(new Uri("testlocks-probe://server/x"), ProbeProvider.Created);
    }

    [Fact]
    public void Lock_files_and_in_process_locks_name_their_kinds()
    {
        using var dir = new LockDir();
        var factory = new LockFactory(new TestLocksSettings { LockPath = dir.Path });

        Assert.Equal("file", factory.CreateLock("kind").BackendKind);
        Assert.Equal("in-process", factory.CreateLock("kind", new LockOptions { External = false }).BackendKind);
    }

    [Fact]
    public void A_declared_provider_that_is_no_provider_is_a_configuration_error_that_names_the_declaration()
    {
        var error = Assert.Throws<TestLocksConfigurationException>(() =>
            new LockFactory(new TestLocksSettings { BackendUrl = "testlocks-broken://:secret@host" }).CreateLock("x"));

        Assert.Contains("System.String", error.Message, StringComparison.Ordinal);
        Assert.Contains("LockBackendProvider", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A third-party backend's provider, declared for the scheme <c>testlocks-probe</c> by this assembly.</summary>
    public sealed class ProbeProvider : ILockBackendProvider
    {
        public static readonly System.Collections.Concurrent.ConcurrentBag<Uri> Created = [];

        public LockBackend Create(Uri backendUrl, TestLocksSettings settings)
        {
            Created.Add(backendUrl);
            return new ProbeBackend();
        }
    }

    private sealed class ProbeBackend : LockBackend
    {
        public override string Kind => "probe";

        public override string Describe(string key) => $"probe {key}";

        public override ValueTask<BackendLock?> TryAcquireAsync(string key, LockMode mode, TimeSpan timeout, LockHolder self, CancellationToken cancellationToken)
            => throw new NotSupportedException("The probe backend is only chosen, never locked.");
    }
}
