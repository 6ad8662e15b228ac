namespace TestLocks.Backends;

/// <summary>
/// Declares, in a backend package's assembly, which <see cref="ILockBackendProvider"/> makes the backend for a
/// <c>backend_url</c> scheme: <c>[assembly: LockBackendProvider("redis", typeof(RedisBackendProvider))]</c>. Core reads
/// these declarations when a <c>backend_url</c> names the scheme, so a test project only references the package; nothing
/// to register in code.
/// </summary>
/// <remarks>
/// Core looks for the scheme in the assemblies already loaded, and for the schemes of TestLocks' own backend packages
/// (<c>postgresql</c>, <c>postgres</c>: TestLocks.Postgres; <c>redis</c>: TestLocks.Redis) it loads the package's
/// assembly first. The provider type needs a public parameterless constructor.
/// </remarks>
/// <param name="scheme">The URL scheme, without <c>://</c> (compared ignoring case).</param>
/// <param name="providerType">A type that implements <see cref="ILockBackendProvider"/>.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class LockBackendProviderAttribute(string scheme, Type providerType) : Attribute
{
    /// <summary>The URL scheme this provider serves, without <c>://</c>.</summary>
    public string Scheme { get; } = scheme;

    /// <summary>The <see cref="ILockBackendProvider"/> type that makes the backend.</summary>
    public Type ProviderType { get; } = providerType;
}
