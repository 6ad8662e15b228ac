using System.Text.Json;
using TestLocks.Diagnostics.Tests.Infrastructure;

namespace TestLocks.Diagnostics.Tests;

/// <summary><c>testlocks status --json</c> gives the fencing token a holder record carries, read from a real server.</summary>
public sealed class StatusFencingTokenTests(InstalledTool tool)
{
    [Fact]
    public async Task Status_json_gives_the_fencing_token_of_a_write_lock_held_on_a_Redis_server()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new LockDir();
        var env = new Dictionary<string, string>(dir.Environment()) { ["TESTLOCKS_BACKEND_URL"] = redis.Url() };
        await using var holder = HelperProcess.StartHelper(env, "hold", "db", "write", "Migrations.test_upgrade");
        await holder.WaitForLineAsync("HELD ");
        await holder.SendAsync("token");
        var token = long.Parse((await holder.WaitForLineAsync("TOKEN ")).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        var (exit, output, error) = await tool.RunAsync(env, "status", "--json", "--sample", "0", "db");

        Assert.True(exit == 0, error);
        var db = JsonDocument.Parse(output).RootElement[0];
        Assert.Equal("held", db.GetProperty("state").GetString());
        Assert.Equal("Migrations.test_upgrade", db.GetProperty("test").GetString());
        Assert.Equal(token, db.GetProperty("fencing_token").GetInt64());

        // The text form says it too.
        (exit, output, error) = await tool.RunAsync(env, "status", "--sample", "0", "db");
        Assert.True(exit == 0, error);
        Assert.Contains($"token {token}", output);
        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
    }

    [Fact]
    public async Task Status_json_gives_the_token_of_a_TestLocks_lock_file_holder_and_none_for_Python_oslo()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        await using var holder = HelperProcess.StartHelper(env, "hold", "db", "write", "Migrations.test_upgrade");
        await holder.WaitForLineAsync("HELD ");
        await holder.SendAsync("token");
        var token = long.Parse((await holder.WaitForLineAsync("TOKEN ")).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        await using var python = HelperProcess.StartPython("python_hold.py", env, "oslo", "compute_quotas", dir.Path);
        await python.WaitForLineAsync("HELD ");

        var (exit, output, error) = await tool.RunAsync(env, "status", "--json", "--sample", "0");

        Assert.True(exit == 0, error);
        var locks = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(l => l.GetProperty("lock").GetString()!);
        Assert.Equal(1, token); // the lock file's first write acquire
        Assert.Equal(token, locks["db"].GetProperty("fencing_token").GetInt64());
        Assert.Equal(JsonValueKind.Null, locks["tempest-compute_quotas"].GetProperty("fencing_token").ValueKind); // oslo keeps no counter
        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
    }
}
