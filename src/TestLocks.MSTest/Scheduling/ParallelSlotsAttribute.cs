using System.ComponentModel;
using TestLocks.MSTest.Scheduling;

namespace TestLocks.MSTest;

/// <summary>
/// Lets a test that waits for a TestLocks lock give its parallel slot to another test, as in xUnit v3, NUnit and TUnit.
/// The package adds it to C# test projects with the hook class (MSBuild property <c>TestLocksRegisterMSTest=false</c>
/// turns both off; then add <c>[assembly: TestLocks.MSTest.ParallelSlots(typeof(TestLocksGlobalHooks))]</c> yourself).
/// When MSTest reads the assembly's attributes before it runs the tests in parallel, this raises MSTest's workers by one
/// per test with a TestLocks attribute and keeps the configured number running with TestLocks' own slots
/// (src/TestLocks.MSTest/Scheduling/README.md).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ParallelSlotsAttribute : Attribute
{
    /// <summary>For the test assembly of <paramref name="hookClass"/> (its TestLocks hook class).</summary>
    public ParallelSlotsAttribute(Type hookClass)
    {
        ArgumentNullException.ThrowIfNull(hookClass);
        HookClass = hookClass;
        SlotInstaller.Install(hookClass.Assembly);
    }

    /// <summary>The hook class whose assembly this is for.</summary>
    public Type HookClass { get; }
}
