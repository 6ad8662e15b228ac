using System.Reflection;
using System.Text.RegularExpressions;
using TestLocks.Backends.File;

namespace TestLocks.Backends;

/// <summary>Picks the backend that <see cref="TestLocksSettings.BackendUrl"/> names, by its scheme.</summary>
internal static partial class BackendResolver
{
    public static LockBackend Create(TestLocksSettings settings)
    {
        var url = settings.BackendUrl;
        if (string.IsNullOrWhiteSpace(url) || url.Equals("file://", StringComparison.OrdinalIgnoreCase))
        {
            return ForLockPath(settings.LockPath, settings.OriginOf(nameof(TestLocksSettings.LockPath)), settings.IsDefaultLockPath);
        }
        var origin = settings.OriginOf(nameof(TestLocksSettings.BackendUrl));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new TestLocksConfigurationException($"backend_url '{Mask(url)}' (from {origin}) is not a URL. Use file:///dir, postgresql://user:pass@host:5432/db or redis://host:6379.");
        }
        if (uri.Scheme.Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            return ForLockPath(uri.LocalPath, $"backend_url ({origin})", isDefault: false);
        }
        var package = BackendRegistry.PackageFor(uri.Scheme);
        var providerType = BackendRegistry.Find(uri.Scheme);
        if (providerType is null && package is null)
        {
            throw new TestLocksConfigurationException(
                $"backend_url '{Mask(url)}' (from {origin}) has the scheme '{uri.Scheme}', which TestLocks does not know. " +
                "Use file:// (lock files, the default), postgresql:// (package TestLocks.Postgres) or redis:// (package TestLocks.Redis), " +
                $"or reference the backend package that declares [assembly: LockBackendProvider(\"{uri.Scheme}\", ...)].");
        }
        if (providerType is null)
        {
            throw new TestLocksConfigurationException(
                $"backend_url '{Mask(url)}' (from {origin}) needs the package {package}, which this program does not reference. " +
                $"Fix: dotnet add package {package} (in the test project), or change backend_url.");
        }
        if (!typeof(ILockBackendProvider).IsAssignableFrom(providerType) || providerType.IsAbstract
            || providerType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new TestLocksConfigurationException(
                $"backend_url '{Mask(url)}' (from {origin}): the provider {providerType.FullName} that {providerType.Assembly.GetName().Name} " +
                $"declares for the scheme '{uri.Scheme}' is not a concrete {nameof(ILockBackendProvider)} with a public parameterless constructor. " +
                "Fix the backend package's [assembly: LockBackendProvider] declaration.");
        }
        var provider = (ILockBackendProvider)Activator.CreateInstance(providerType)!;
        try
        {
            return provider.Create(uri, settings);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    public static FileLockBackend ForLockPath(string lockPath, string origin, bool isDefault)
        => new(lockPath, origin, isDefault ? LockDirectory.PrivateMode /* the per-user default */ : 0x1FF);

    /// <summary>Hides the password in a URL: <c>postgresql://user:***@host/db</c>.</summary>
    public static string Mask(string url) => UserInfoPassword().Replace(url, "$1***@");

    [GeneratedRegex("(://[^:/@]*:)[^@/]*@")]
    private static partial Regex UserInfoPassword();
}
