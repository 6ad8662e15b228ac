using System.Reflection;
using TestLocks.Testing;
#if XUNIT_V3
using Xunit.Sdk;
#endif

namespace TestLocks.Xunit.Tests;

/// <summary>[LeaseData] where it cannot work fails where xUnit reads it (the attribute made, its row made), with a
/// TestLocksException naming what is wrong and what to write: never a row xUnit cannot pass, a hang or a NullReferenceException.</summary>
public sealed class A_misplaced_LeaseData
{
    public static IEnumerable<object?[]> Unusable_pool_names =>
        new string?[] { null, "", "   ", " database", "database\t", "data:base", "a=b", new string('p', 201) }.Select(p => new object?[] { p });

    [Theory, MemberData(nameof(Unusable_pool_names))]
    public void with_a_pool_name_no_INI_file_can_declare_fails_where_it_is_made_naming_the_attribute_and_the_fix(string? pool)
    {
        var error = Assert.Throws<TestLocksException>(() => new LeaseDataAttribute(pool!));
        Assert.StartsWith("[LeaseData(", error.Message, StringComparison.Ordinal);
        Assert.Contains("[testlocks.pools]", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Made here, not passed as theory data: xUnit's serialization of the data would replace the lone surrogate.</summary>
    [Fact]
    public void with_a_control_character_or_a_lone_surrogate_in_its_pool_name_fails_where_it_is_made_showing_it_as_an_escape()
    {
        foreach (var (pool, shown) in new[] { ("db\u001b[31m", "db\\u001B[31m"), ("db\ud800", "db\\uD800") })
        {
            var error = Assert.Throws<TestLocksException>(() => new LeaseDataAttribute(pool));
            Assert.StartsWith($"[LeaseData(\"{shown}\")]", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("données-🔒")]
    [InlineData("データベース")]
    public void with_a_pool_name_in_any_script_is_made(string pool) => Assert.Equal(pool, new LeaseDataAttribute(pool).Pool);

    [Theory]
    [InlineData(nameof(Methods.NoParameter), "no parameter")]
    [InlineData(nameof(Methods.TwoParameters), "LeasedMember member, Int32 count")]
    [InlineData(nameof(Methods.AString), "String member")]
    public async Task on_a_method_that_does_not_take_one_LeasedMember_fails_when_its_row_is_made_naming_the_method_and_the_fix(string method, string takes)
    {
        var error = await Assert.ThrowsAsync<TestLocksException>(() => RowAsync(new LeaseDataAttribute("database"), typeof(Methods).GetMethod(method)!));
        Assert.Contains($"on Methods.{method} passes the test one LeasedMember, but the method takes ({takes})", error.Message, StringComparison.Ordinal);
        Assert.Contains("[Lease(\"database\")]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task on_a_method_that_takes_one_LeasedMember_makes_one_row_of_that_pool()
    {
        var row = await RowAsync(new LeaseDataAttribute("database"), typeof(Methods).GetMethod(nameof(Methods.OneMember))!);
        Assert.Equal("database", Assert.IsType<LeasedMember>(row).Pool);
    }

    private static async Task<object?> RowAsync(LeaseDataAttribute attribute, MethodInfo method)
    {
#if XUNIT_V3
        await Task.Yield();
        var rows = await attribute.GetData(method, new DisposalTracker());
        return Assert.Single(Assert.Single(rows).GetData());
#else
        await Task.Yield();
        return Assert.Single(Assert.Single(attribute.GetData(method)));
#endif
    }

    private static class Methods
    {
        public static void NoParameter() { }

        public static void TwoParameters(LeasedMember member, int count) => GC.KeepAlive((member, count));

        public static void AString(string member) => GC.KeepAlive(member);

        public static void OneMember(LeasedMember member) => GC.KeepAlive(member);
    }
}
