namespace TestLocks;

/// <summary>
/// The name of whoever is taking locks in the current async flow, such as the running test. Framework packages
/// set it around each test (or register the test's name with its locks), so holders' records and waiters' messages
/// name the test, whatever API took the lock.
/// </summary>
internal static class LockOwner
{
    private static readonly AsyncLocal<string?> s_current = new();
    private static readonly string s_process = $"pid {Environment.ProcessId}";

    /// <summary>The owner name of the current flow, or null.</summary>
    public static string? Current => s_current.Value;

    /// <summary>Sets the owner name for the current flow until the returned scope is disposed.</summary>
    public static IDisposable Set(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var previous = s_current.Value;
        s_current.Value = owner;
        return new Scope(previous);
    }

    internal static string Resolve(string? explicitOwner) => explicitOwner ?? s_current.Value ?? Adapters.CurrentTest.Owner ?? s_process;

    private sealed class Scope(string? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) s_current.Value = previous;
        }
    }
}
