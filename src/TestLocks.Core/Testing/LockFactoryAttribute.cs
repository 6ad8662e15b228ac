namespace TestLocks.Testing;

/// <summary>
/// Names the <see cref="LockFactory"/> the framework packages take a test assembly's attribute locks
/// (<c>[ExternalLock]</c>, <c>[Serial]</c>, <c>[Lease]</c>) from, for settings or a logger given in code: derive from it,
/// return the factory from <see cref="Create"/>, and put it on the test assembly. Without it they use
/// <see cref="LockFactory.Default"/> (the INI file and the environment). <see cref="Create"/> is called once per assembly,
/// before its first test takes a lock.
/// </summary>
/// <example>
/// <code>
/// [assembly: MyLocks]
///
/// sealed class MyLocksAttribute : LockFactoryAttribute
/// {
///     public override LockFactory Create() => new(TestLocksSettings.Load(), MyLoggerFactory);
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public abstract class LockFactoryAttribute : Attribute
{
    /// <summary>For a derived attribute.</summary>
    protected LockFactoryAttribute()
    {
    }

    /// <summary>The factory of this assembly's test locks.</summary>
    public abstract LockFactory Create();
}
