using System.Reflection;
using NUnit.Framework.Internal;
using TestLocks.NUnit;
using TestLocks.Testing;

namespace TestLocks.NUnit.Tests;

/// <summary>[Lease] where it cannot work fails where NUnit reads it (the attribute made, the parameter's value made), with
/// a TestLocksException naming what is wrong and what to write: never a test that runs unlocked, a hang or a NullReferenceException.</summary>
public sealed class LeaseMisuseTests
{
    private static readonly object?[] s_unusablePoolNames =
    [
        null, "", "   ", " database", "database\t", "data:base", "a=b", new string('p', 201),
    ];

    [TestCaseSource(nameof(s_unusablePoolNames))]
    public void A_lease_on_a_pool_name_no_INI_file_can_declare_fails_where_it_is_made_naming_the_attribute_and_the_fix(string? pool)
    {
        var error = Assert.Throws<TestLocksException>(() => _ = new LeaseAttribute(pool!));
        Assert.That(error!.Message, Does.StartWith("[Lease(").And.Contain("[testlocks.pools]"));
    }

    /// <summary>Made here, not as test cases: NUnit's adapter does not run a case whose name holds a lone surrogate.</summary>
    [Test]
    public void A_lease_on_a_pool_name_with_a_control_character_or_a_lone_surrogate_fails_where_it_is_made_showing_it_as_an_escape()
    {
        foreach (var (pool, shown) in new[] { ("db\u001b[31m", "db\\u001B[31m"), ("db\ud800", "db\\uD800") })
        {
            var error = Assert.Throws<TestLocksException>(() => _ = new LeaseAttribute(pool));
            Assert.That(error!.Message, Does.StartWith($"[Lease(\"{shown}\")]"));
        }
    }

    [TestCase("données-🔒")]
    [TestCase("データベース")]
    public void A_lease_on_a_pool_name_in_any_script_is_made(string pool) => Assert.That(new LeaseAttribute(pool).Pool, Is.EqualTo(pool));

    [Test]
    public void A_lease_on_a_parameter_that_is_not_a_LeasedMember_fails_naming_the_parameter_and_the_fix()
    {
        var parameter = new ParameterWrapper(new MethodWrapper(typeof(Methods), nameof(Methods.AString)), typeof(Methods).GetMethod(nameof(Methods.AString))!.GetParameters()[0]);
        var error = Assert.Throws<TestLocksException>(() => new LeaseAttribute("database").GetData(parameter));
        Assert.That(error!.Message, Does.Contain("declare member as LeasedMember, not String"));
    }

    private static class Methods
    {
        public static void AString(string member) => GC.KeepAlive(member);
    }
}
