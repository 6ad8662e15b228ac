using TestLocks.Backends;

namespace TestLocks;

/// <summary>
/// A lock backend server (PostgreSQL, Redis) cannot be used: it is unreachable, it refused the credentials, or it did
/// not answer in time. The message names the backend_url with its password masked, where the setting came from,
/// what failed and how to fix it. Raised within the backend's bounded timeouts, never after an endless wait.
/// </summary>
public sealed class LockBackendException : TestLocksException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="backendUrl">The backend_url as configured; its password never reaches the message.</param>
    /// <param name="origin">Where backend_url came from, for example "environment variable TESTLOCKS_BACKEND_URL".</param>
    /// <param name="problem">What failed and how to fix it.</param>
    /// <param name="innerException">The client library's error.</param>
    public LockBackendException(string backendUrl, string origin, string problem, Exception? innerException = null)
        : base($"The lock backend '{BackendResolver.Mask(backendUrl)}' (backend_url, from {origin}) cannot be used: {problem}", innerException)
    {
        BackendUrl = BackendResolver.Mask(backendUrl);
    }

    /// <summary>The backend_url, password masked.</summary>
    public string BackendUrl { get; }
}
