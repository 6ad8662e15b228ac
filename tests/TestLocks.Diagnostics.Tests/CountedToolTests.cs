using System.Text.Json;
using TestLocks.Diagnostics.Tests.Infrastructure;

namespace TestLocks.Diagnostics.Tests;

/// <summary>The installed testlocks command with counted locks (--slots) and pools (--lease), beside real holders.</summary>
public sealed class CountedToolTests(InstalledTool tool)
{
    [Fact]
    public async Task Run_with_slots_takes_a_free_slot_tells_the_command_which_and_status_names_every_slot_holder()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        await using var holder = HelperProcess.StartHelper(env, "slot", "quota", "2", "Quota.test_first");
        Assert.Equal("HELD 1", await holder.WaitForLineAsync("HELD"));
        var inside = Path.Combine(tool.Root, $"inside-{Guid.NewGuid():N}.json");

        var (exit, output, error) = await tool.RunAsync(env, "run", "--lock", "quota", "--slots", "2", "--",
            "sh", "-c", $"echo slot=$TESTLOCKS_SLOT_QUOTA; '{tool.Command}' status --json --sample 0 > '{inside}'");

        Assert.True(exit == 0, error);
        Assert.Contains("slot=2", output);
        var locks = JsonDocument.Parse(File.ReadAllText(inside)).RootElement.EnumerateArray().ToDictionary(l => l.GetProperty("lock").GetString()!);
        Assert.Equal("Quota.test_first", locks["quota.slot-1"].GetProperty("test").GetString());
        Assert.StartsWith("testlocks run sh -c", locks["quota.slot-2"].GetProperty("test").GetString());
        Assert.All([locks["quota.slot-1"], locks["quota.slot-2"]], l =>
        {
            Assert.Equal("held", l.GetProperty("state").GetString());
            Assert.Equal("quota", l.GetProperty("slot_of").GetString());
            Assert.Equal(2, l.GetProperty("slots").GetInt32());
        });
    }

    [Fact]
    public async Task Run_with_slots_waits_while_every_slot_is_held_names_every_holder_and_gives_up_after_its_timeout()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        await using var first = HelperProcess.StartHelper(env, "slot", "quota", "2", "Quota.test_first");
        await first.WaitForLineAsync("HELD");
        await using var second = HelperProcess.StartHelper(env, "slot", "quota", "2", "Quota.test_second");
        await second.WaitForLineAsync("HELD");

        var (exit, output, error) = await tool.RunAsync(env, "run", "--lock", "quota", "--slots", "2", "--timeout", "0.3", "--", "echo", "never");

        Assert.Equal(75, exit);
        Assert.DoesNotContain("never", output);
        Assert.Contains("[TestLocks] echo never: Waiting for \"quota\"", error);
        Assert.Contains("2 of 2 slots held by", error);
        Assert.Contains("(Quota.test_first)", error);
        Assert.Contains("(Quota.test_second)", error);
    }

    [Fact]
    public async Task Run_with_a_lease_gets_a_member_nobody_holds_in_an_environment_variable_and_status_shows_the_pool()
    {
        using var dir = new LockDir();
        var ini = dir.File("testlocks.conf");
        await File.WriteAllTextAsync(ini, "[testlocks.pools]\ndatabase = db1, db2, db3\n", TestContext.Current.CancellationToken);
        var env = dir.Environment(("TESTLOCKS_CONFIG", ini));
        await using var byName = HelperProcess.StartHelper(env, "hold", "db1", "write", "Migrations.test_db1_only");
        await byName.WaitForLineAsync("HELD");
        var inside = Path.Combine(tool.Root, $"inside-{Guid.NewGuid():N}.json");

        var (exit, output, error) = await tool.RunAsync(env, "run", "--lease", "database", "--",
            "sh", "-c", $"echo member=$TESTLOCKS_LEASE_DATABASE; '{tool.Command}' status --json --sample 0 database > '{inside}'");

        Assert.True(exit == 0, error);
        Assert.Contains("member=db2", output);
        var locks = JsonDocument.Parse(File.ReadAllText(inside)).RootElement.EnumerateArray().ToDictionary(l => l.GetProperty("lock").GetString()!);
        Assert.Equal(["db1", "db2", "db3"], locks.Keys);
        Assert.Equal("Migrations.test_db1_only", locks["db1"].GetProperty("test").GetString());
        Assert.StartsWith("testlocks run sh -c", locks["db2"].GetProperty("test").GetString());
        Assert.Equal(3, locks["db2"].GetProperty("slots").GetInt32());
        Assert.NotEqual("held", locks["db3"].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Run_with_a_pool_that_is_not_configured_says_how_to_configure_it()
    {
        using var dir = new LockDir();
        var (exit, _, error) = await tool.RunAsync(dir.Environment(), "run", "--lease", "database", "--", "echo", "never");
        Assert.Equal(2, exit);
        Assert.Contains("No pool named \"database\"", error);
        Assert.Contains("[testlocks.pools]", error);
    }
}
