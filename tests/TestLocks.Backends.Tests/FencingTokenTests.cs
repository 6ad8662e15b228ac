using System.Globalization;
using TestLocks.Backends.Tests.Servers;
using TestLocks.TestSupport.Processes;
using TestLocks.TestSupport.Servers;

namespace TestLocks.Backends.Tests;

/// <summary>
/// Fencing tokens (<see cref="LockHandle.FencingToken"/>) on a real server: every holder of a write lock, in any
/// process, gets a token greater than every holder's before it, a killed holder's included, and a waiter sees the
/// holder's token. Written once, run against PostgreSQL and Redis by the subclasses at the end of this file.
/// </summary>
public abstract class FencingTokenTests
{
    private const int Processes = 4;
    private const int Iterations = 25;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>backend_url for the shared server (Redis: a 2 s lease, so a killed holder's lock comes back soon).</summary>
    protected abstract string Url { get; }

    private LockFactory Factory => new(new TestLocksSettings { BackendUrl = Url });

    private Dictionary<string, string> Env => new() { ["TESTLOCKS_BACKEND_URL"] = Url };

    [Fact]
    public async Task Tokens_grow_with_every_holder_across_processes_in_the_order_the_lock_was_held()
    {
        var name = LockDir.UniqueName("fence");
        var files = Enumerable.Range(0, Processes).Select(i => Path.Combine(Path.GetTempPath(), $"{name}-{i}")).ToList();
        try
        {
            var helpers = files.Select(f => HelperProcess.StartHelper(Env, "fence", name, f, $"{Iterations}")).ToList();
            try
            {
                foreach (var helper in helpers) await helper.WaitForLineAsync("DONE");
            }
            finally
            {
                foreach (var helper in helpers) await helper.DisposeAsync();
            }

            // Each process wrote its holds: the token, and the monotonic clock (alike in every process) while it held.
            var holds = files.SelectMany((f, p) => System.IO.File.ReadAllLines(f).Select(l => l.Split(' ')).Select(x =>
                (Process: p, Token: long.Parse(x[0], CultureInfo.InvariantCulture), Start: long.Parse(x[1], CultureInfo.InvariantCulture), End: long.Parse(x[2], CultureInfo.InvariantCulture))))
                .OrderBy(h => h.Start).ToList();
            Assert.Equal(Processes * Iterations, holds.Count);
            for (var i = 1; i < holds.Count; i++)
            {
                Assert.True(holds[i - 1].End < holds[i].Start, $"holds {i - 1} and {i} overlap");
                Assert.True(holds[i - 1].Token < holds[i].Token,
                    $"hold {i} (process {holds[i].Process}) got token {holds[i].Token}, not greater than the token {holds[i - 1].Token} of hold {i - 1} (process {holds[i - 1].Process}) before it");
            }
            TestContext.Current.TestOutputHelper?.WriteLine($"{holds.Count} holds in {Processes} processes: tokens {holds[0].Token} to {holds[^1].Token}, increasing in the order held");
        }
        finally
        {
            foreach (var f in files) System.IO.File.Delete(f);
        }
    }

    [Fact]
    public async Task The_holder_after_a_SIGKILLed_holder_gets_a_greater_token_and_a_waiter_sees_the_holders_token()
    {
        var name = LockDir.UniqueName("fence-killed");
        var @lock = Factory.CreateLock(name, new LockOptions { OnWaiting = n => Waiting(n) });
        long before;
        await using (var first = await @lock.AcquireAsync(HelperProcess.LineLimit, Token)) before = first.FencingToken!.Value;

        await using var holder = HelperProcess.StartHelper(Env, "hold", name);
        await holder.WaitForLineAsync("HELD");
        await holder.SendAsync("token");
        var killedToken = long.Parse((await holder.WaitForLineAsync("TOKEN")).Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.True(killedToken > before, $"the helper's token {killedToken} is not greater than {before}, taken before it");

        var waiting = @lock.AcquireAsync(HelperProcess.LineLimit, Token).AsTask();
        var seen = await _seen.Task.WaitAsync(HelperProcess.LineLimit, Token);
        Assert.Equal(killedToken, seen?.FencingToken);
        Assert.Contains($"token {killedToken}", seen!.ToString(), StringComparison.Ordinal);

        holder.KillHard();
        await using var after = await waiting;
        Assert.True(after.FencingToken > killedToken, $"the holder after the killed one got token {after.FencingToken}, not greater than its {killedToken}");
    }

    [Fact]
    public async Task A_read_lock_has_no_token()
    {
        await using var handle = await Factory.CreateReaderWriterLock(LockDir.UniqueName("fence-read")).ReadLock.AcquireAsync(HelperProcess.LineLimit, Token);
        Assert.Null(handle.FencingToken);
    }

    private readonly TaskCompletionSource<LockHolder?> _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Waiting(LockWaitNotice notice)
    {
        if (notice.Holder?.FencingToken is not null) _seen.TrySetResult(notice.Holder);
    }
}

public sealed class PostgresFencingTokens(SharedServers servers) : FencingTokenTests
{
    protected override string Url => servers.Postgres.Url();
}

public sealed class RedisFencingTokens(SharedServers servers) : FencingTokenTests
{
    protected override string Url => servers.Redis.Url("?lock_timeout=2");
}
