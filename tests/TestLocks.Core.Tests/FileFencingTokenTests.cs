using System.Globalization;

namespace TestLocks.Core.Tests;

/// <summary>
/// Fencing tokens of lock files: the counter right after the holder record grows with every write acquire of the file,
/// in any process, a SIGKILLed holder's included; Python oslo holders of the same file neither need it nor disturb it.
/// </summary>
public sealed class FileFencingTokenTests
{
    private const int Processes = 4;
    private const int Iterations = 25;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_write_acquire_in_any_process_gets_the_next_token_in_the_order_the_lock_was_held()
    {
        using var dir = new LockDir();
        var name = LockDir.UniqueName("fence");
        var files = Enumerable.Range(0, Processes).Select(i => Path.Combine(dir.Path, $"holds-{i}.txt")).ToList();
        var helpers = files.Select(f => HelperProcess.StartHelper(dir.Environment(), "fence", name, f, $"{Iterations}")).ToList();
        try
        {
            foreach (var helper in helpers) await helper.WaitForLineAsync("DONE", Token);
        }
        finally
        {
            foreach (var helper in helpers) await helper.DisposeAsync();
        }

        // Each process wrote its holds: the token, and the monotonic clock (alike in every process) while it held.
        var holds = files.SelectMany((f, p) => File.ReadAllLines(f).Select(l => l.Split(' ')).Select(x =>
            (Process: p, Token: long.Parse(x[0], CultureInfo.InvariantCulture), Start: long.Parse(x[1], CultureInfo.InvariantCulture), End: long.Parse(x[2], CultureInfo.InvariantCulture))))
            .OrderBy(h => h.Start).ToList();
        Assert.Equal(Processes * Iterations, holds.Count);
        for (var i = 0; i < holds.Count; i++)
        {
            if (i > 0) Assert.True(holds[i - 1].End < holds[i].Start, $"holds {i - 1} and {i} overlap");
            // A fresh lock file: the n-th write acquire, whoever made it, gets token n.
            Assert.True(holds[i].Token == i + 1, $"hold {i} (process {holds[i].Process}) got token {holds[i].Token}, not {i + 1}");
        }
    }

    [Fact]
    [Trait("Needs", "Python")] // an oslo holder: its lockf does not meet the flock strategy on Linux, nor a Windows run
    public async Task The_holder_after_a_SIGKILLed_holder_and_an_oslo_holder_gets_the_next_token()
    {
        using var dir = new LockDir(prefix: "tempest-");
        var name = LockDir.UniqueName("fence-killed");
        var @lock = dir.Factory.CreateLock(name);
        long first;
        await using (var handle = await @lock.AcquireAsync(HelperProcess.LineLimit, Token)) first = handle.FencingToken!.Value;

        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name);
        await holder.WaitForLineAsync("HELD", Token);
        await holder.SendAsync("token");
        var killed = long.Parse((await holder.WaitForLineAsync("TOKEN", Token)).Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.Equal(first + 1, killed);
        holder.KillHard();
        Assert.NotEqual(0, await holder.WaitForExitAsync());

        // Python oslo takes the same file (it never reads or writes its contents) and releases it.
        await using (var python = HelperProcess.StartPython("python_hold.py", dir.Environment(), "oslo", name, dir.Path))
        {
            await python.WaitForLineAsync("HELD", Token);
            Assert.Null(await @lock.TryAcquireAsync(cancellationToken: Token));
            await python.SendAsync("release");
            await python.WaitForLineAsync("RELEASED", Token);
        }

        await using var after = await @lock.AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(killed + 1, after.FencingToken);
    }

    [Fact]
    public async Task A_read_lock_has_no_token_and_takes_none()
    {
        using var dir = new LockDir();
        var rw = dir.Factory.CreateReaderWriterLock(LockDir.UniqueName("fence-read"));
        await using (var read = await rw.ReadLock.AcquireAsync(HelperProcess.LineLimit, Token)) Assert.Null(read.FencingToken);
        await using (var write = await rw.WriteLock.AcquireAsync(HelperProcess.LineLimit, Token)) Assert.Equal(1, write.FencingToken);
        await using (var read = await rw.ReadLock.AcquireAsync(HelperProcess.LineLimit, Token)) Assert.Null(read.FencingToken);
        await using (var write = await rw.WriteLock.AcquireAsync(HelperProcess.LineLimit, Token)) Assert.Equal(2, write.FencingToken);
    }
}
