using StackExchange.Redis;
using TestLocks.Backends;
using TestLocks.Backends.Server;

namespace TestLocks.Redis;

/// <summary>What a <c>redis://</c> backend_url says (see <see cref="RedisBackendProvider"/> for the options).</summary>
internal sealed record RedisOptions
{
    public required BackendUrlOptions Url { get; init; }
    public required ConfigurationOptions Configuration { get; init; }
    public int Database { get; init; }
    public TimeSpan Lease { get; init; }
    public TimeSpan SocketTimeout { get; init; }

    /// <summary>The lease in whole milliseconds, as the scripts take it.</summary>
    public RedisValue LeaseMilliseconds => (long)Math.Ceiling(Lease.TotalMilliseconds);

    /// <summary>The longest a waiter sleeps between two tries when no release message wakes it (a message lost while
    /// the connection was down, or a holder that sends none: a DistributedLock program). A killed holder's lease is
    /// not waited out this way: waiters also wake when what blocks them expires.</summary>
    public TimeSpan BusyWait { get; init; }

    /// <summary>The longest a waiting writer sleeps between two tries when a release message will come (what blocks it is
    /// a TestLocks holder, which publishes when it releases): 30% of the lease, as a holder renews its lease, and never
    /// less than busy_wait. Each try renews the waiter's place in the queue and its waiting mark, so it must come well
    /// within their lifetimes. Waking more often costs an idle waiting process CPU (a try, thread-pool wake-ups, and
    /// the JIT re-compiling the code it runs once a second), and nothing else wakes it: see docs/backends.md.</summary>
    public TimeSpan IdleWait => Lease * 0.3 > BusyWait ? Lease * 0.3 : BusyWait;

    /// <summary>How long a waiting writer's place in the queue lasts unless it tries again: a lease, and at least three
    /// busy_waits and a second. Its place also ends, at once, when its process no longer listens on its release channel
    /// (<see cref="ReleaseChannels.WriterChannelOf"/>): a killed waiter's connection closes and the queue moves on;
    /// the lifetime is for a process that is stopped or cut off, whose connection the server still keeps.</summary>
    public RedisValue QueueEntryMilliseconds => (long)Math.Ceiling(Math.Max(Math.Max(1000, BusyWait.TotalMilliseconds * 3), Lease.TotalMilliseconds));

    public static RedisOptions Parse(Uri url, TestLocksSettings settings)
    {
        var parts = new BackendUrlOptions(url, settings, "Redis", defaultPort: 6379);
        var database = parts.Integer("db", 0, 0, 1_000_000);
        var lease = parts.Seconds("lock_timeout", TimeSpan.FromSeconds(30), minimum: 1);
        var socketTimeout = parts.Seconds("socket_timeout", TimeSpan.FromSeconds(5), minimum: 0.1);
        var busyWait = parts.Seconds("busy_wait", TimeSpan.FromSeconds(1), minimum: 0.001);
        var ssl = parts.Boolean("ssl", false);
        parts.RejectUnknown();
        // A writer's waiting mark lives one lease and is renewed by each try: the longest sleep between tries must be shorter
        // (DistributedLock's rule: shorter than the lease's 90% minimum validity).
        if (busyWait >= lease * 0.8) busyWait = lease * 0.5;
        var timeoutMs = (int)Math.Ceiling(socketTimeout.TotalMilliseconds);
        var configuration = new ConfigurationOptions
        {
            EndPoints = { { parts.Host, parts.Port } },
            User = string.IsNullOrEmpty(parts.User) ? null : parts.User,
            Password = parts.Password,
            DefaultDatabase = database,
            Ssl = ssl,
            ConnectTimeout = timeoutMs,
            SyncTimeout = timeoutMs,
            AsyncTimeout = timeoutMs,
            ConnectRetry = 1,
            AbortOnConnectFail = true,
            ClientName = $"testlocks-pid{Environment.ProcessId}@{Environment.MachineName}".Replace(' ', '_'),
        };
        return new RedisOptions
        {
            Url = parts,
            Configuration = configuration,
            Database = database,
            Lease = lease,
            SocketTimeout = socketTimeout,
            BusyWait = busyWait,
        };
    }
}
