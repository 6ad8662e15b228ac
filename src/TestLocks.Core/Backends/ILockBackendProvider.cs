namespace TestLocks.Backends;

/// <summary>
/// Creates a backend from a <c>backend_url</c>. A backend package declares its provider for a URL scheme with
/// <see cref="LockBackendProviderAttribute"/> (the type needs a public parameterless constructor); Core finds it by the
/// URL's scheme, so users only reference the package.
/// </summary>
public interface ILockBackendProvider
{
    /// <summary>Creates the backend for <paramref name="backendUrl"/>.</summary>
    /// <param name="backendUrl">The URL from settings, for example <c>postgresql://user:pass@host:5432/db</c>.</param>
    /// <param name="settings">All settings, for options the backend shares (lock timeout, prefix).</param>
    LockBackend Create(Uri backendUrl, TestLocksSettings settings);
}
