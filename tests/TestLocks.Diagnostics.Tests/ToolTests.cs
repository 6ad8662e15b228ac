using System.Diagnostics;
using System.Text.Json;
using TestLocks.Diagnostics.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(InstalledTool))]

namespace TestLocks.Diagnostics.Tests;

/// <summary>The installed testlocks command against real lock holders: a TestLocks process, a Python oslo process.</summary>
public sealed class ToolTests(InstalledTool tool)
{
    /// <summary>A number of seconds in a wait line ("for 0.4s", "0.02s CPU").</summary>
    private static readonly System.Text.RegularExpressions.Regex s_seconds = new(@"\d+\.\d+s");

    [Fact]
    public async Task Status_names_the_holders_of_locks_held_by_a_TestLocks_process_and_by_Python_oslo_and_counts_the_waiters()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        await using var holder = HelperProcess.StartHelper(env, "hold", "availability_zone", "write", "Aggregates.test_add_host");
        var holderPid = int.Parse((await holder.WaitForLineAsync("HELD ")).Split(' ')[1]);
        await using var waiter = HelperProcess.StartHelper(env, "wait", "availability_zone");
        await waiter.WaitForLineAsync("BLOCKED");
        await ProcLocks.WaitForBlockedAsync(dir.File("availability_zone"), 1);
        await using var python = HelperProcess.StartPython("python_hold.py", env, "oslo", "compute_quotas", dir.Path);
        var pythonPid = int.Parse((await python.WaitForLineAsync("HELD ")).Split(' ')[1]);
        File.WriteAllText(dir.File("free_one"), "");

        var (exit, output, error) = await tool.RunAsync(env, "status", "--json", "--sample", "0.2");

        Assert.True(exit == 0, error);
        var locks = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(l => l.GetProperty("lock").GetString()!);
        Assert.Equal(["availability_zone", "free_one", "tempest-compute_quotas"], locks.Keys.Order(StringComparer.Ordinal));
        var az = locks["availability_zone"];
        Assert.Equal("held", az.GetProperty("state").GetString());
        Assert.Equal(holderPid, az.GetProperty("pid").GetInt32());
        Assert.Equal("Aggregates.test_add_host", az.GetProperty("test").GetString());
        Assert.Equal(Environment.MachineName, az.GetProperty("host").GetString());
        Assert.Equal("write", az.GetProperty("mode").GetString());
        Assert.True(az.GetProperty("alive").GetBoolean());
        Assert.Equal(JsonValueKind.Number, az.GetProperty("cpu_seconds").ValueKind);
        Assert.Equal(1, az.GetProperty("waiters").GetInt32());
        Assert.True(DateTime.UtcNow - az.GetProperty("since").GetDateTime().ToUniversalTime() < TimeSpan.FromMinutes(1));
        var oslo = locks["tempest-compute_quotas"];
        Assert.Equal("held", oslo.GetProperty("state").GetString());
        Assert.Equal(pythonPid, oslo.GetProperty("pid").GetInt32());   // the kernel names it: oslo writes no record
        Assert.Contains("python_hold.py", oslo.GetProperty("test").GetString());
        Assert.True(oslo.GetProperty("alive").GetBoolean());
        Assert.Equal("free", locks["free_one"].GetProperty("state").GetString());

        // The text form says the same for a person.
        (exit, output, error) = await tool.RunAsync(env, "status", "--sample", "0", "availability_zone");
        Assert.True(exit == 0, error);
        Assert.Contains($"held by pid {holderPid} on {Environment.MachineName} (Aggregates.test_add_host)", output);
        Assert.Contains("1 waiting", output);
        await holder.SendAsync("release");
        await waiter.WaitForLineAsync("ACQUIRED");
    }

    [Fact]
    public async Task Run_holds_the_locks_while_its_command_runs_and_passes_the_exit_code_through()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        var inside = Path.Combine(tool.Root, $"inside-{Guid.NewGuid():N}.json");
        // The command looks at its own lock with the tool, then fails with 7.
        var (exit, _, error) = await tool.RunAsync(env, "run", "--lock", "db", "--lock", "az", "--",
            "sh", "-c", $"'{tool.Command}' status --json --sample 0 > '{inside}'; echo \"lock_path=$OSLO_LOCK_PATH\" >&2; exit 7");

        Assert.Equal(7, exit);
        var locks = JsonDocument.Parse(File.ReadAllText(inside)).RootElement.EnumerateArray().ToList();
        Assert.Equal(["az", "db"], locks.Select(l => l.GetProperty("lock").GetString()));
        Assert.All(locks, l => Assert.Equal("held", l.GetProperty("state").GetString()));
        Assert.All(locks, l => Assert.StartsWith("testlocks run sh -c", l.GetProperty("test").GetString()));
        Assert.Contains("lock_path=\n", error); // without --temp-lock-path the command's environment is left alone

        Assert.All(JsonDocument.Parse((await tool.RunAsync(env, "status", "--json", "--sample", "0")).Output).RootElement.EnumerateArray(),
            l => Assert.Equal("free", l.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Run_waits_for_a_held_lock_says_who_holds_it_and_gives_up_after_its_timeout()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        await using var holder = HelperProcess.StartHelper(env, "hold", "db", "write", "Migrations.test_upgrade");
        var pid = (await holder.WaitForLineAsync("HELD ")).Split(' ')[1];

        var (exit, output, error) = await tool.RunAsync(env, "run", "--lock", "db", "--timeout", "0.3", "--", "echo", "never");

        Assert.Equal(75, exit);
        Assert.DoesNotContain("never", output);
        Assert.Contains($"[TestLocks] echo never: Waiting for lock \"db\"", error);
        Assert.Contains($"Timed out after", error);
        Assert.Contains($"held by pid {pid} on {Environment.MachineName} (Migrations.test_upgrade)", error);
    }

    /// <summary>One format: <c>testlocks run</c> says a wait in the words a test says it in (Core's WaitLog builds both),
    /// so for the same holder the two lines differ in nothing but the seconds waited; a change to either fails here. The
    /// command carries a terminal escape, which a test's line shows as visible text (Printable) and run's did not.</summary>
    [Fact]
    public async Task Run_says_its_wait_in_the_same_words_as_a_test_waiting_for_the_same_holder()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        await using var holder = HelperProcess.StartHelper(env, "hold", "db", "write", "Migrations.test_upgrade");
        await holder.WaitForLineAsync("HELD ");
        await using var test = HelperProcess.StartHelper(env, "test", "db", "echo \u001b[31mnever"); // a test named as run names its command
        var testLine = (await test.WaitForLineAsync("LINE "))["LINE ".Length..];

        var (exit, _, error) = await tool.RunAsync(env, "run", "--lock", "db", "--timeout", "0.3", "--", "echo", "\u001b[31mnever");

        Assert.Equal(75, exit);
        var toolLine = error.Split('\n').First(l => l.StartsWith("[TestLocks] ", StringComparison.Ordinal));
        Assert.Contains("never: Waiting for lock \"db\"", toolLine);
        Assert.Equal(s_seconds.Replace(testLine, "N.Ns"), s_seconds.Replace(toolLine, "N.Ns"));
        await holder.SendAsync("release");
        await test.WaitForLineAsync("ACQUIRED");
    }

    [Fact]
    public async Task Interrupting_run_interrupts_its_command_which_ends_before_the_locks_are_released()
    {
        using var dir = new LockDir();
        var env = dir.Environment();
        var marker = Path.Combine(dir.Path, "interrupted");
        using var run = Process.Start(tool.Start(env, "run", "--lock", "db", "--",
            "sh", "-c", $"trap 'echo cleanup > \"{marker}\"; exit 130' INT; echo READY; while :; do sleep 0.05; done"))!;
        Assert.Equal("READY", await run.StandardOutput.ReadLineAsync());

        Assert.Equal(0, Kill(run.Id, 2)); // SIGINT to testlocks, as a CI agent cancelling the job sends it

        using var limit = new CancellationTokenSource(HelperProcess.LineLimit);
        await run.WaitForExitAsync(limit.Token);
        Assert.Equal(130, run.ExitCode);
        Assert.Equal("cleanup\n", File.ReadAllText(marker));
        var status = await tool.RunAsync(env, "status", "--json", "--sample", "0", "db");
        Assert.Equal("free", JsonDocument.Parse(status.Output).RootElement[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Run_with_a_temporary_lock_path_gives_the_command_one_of_its_own_as_lockutils_wrapper_does()
    {
        using var dir = new LockDir();
        var (exit, output, error) = await tool.RunAsync(dir.Environment(), "run", "--temp-lock-path", "--",
            "/usr/bin/python3", "-c", "import os; from oslo_concurrency import lockutils\n" +
            "with lockutils.lock('x', external=True): print(os.environ['OSLO_LOCK_PATH'], os.environ['TESTLOCKS_LOCK_PATH'], os.listdir(os.environ['OSLO_LOCK_PATH']))");

        Assert.True(exit == 0, error);
        var words = output.Trim().Split(' ', 3);
        Assert.Equal(words[0], words[1]);
        Assert.NotEqual(dir.Path, words[0]);
        Assert.Equal("['x']", words[2]);            // oslo locked in it
        Assert.False(Directory.Exists(words[0]));   // and it is gone with the command
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
