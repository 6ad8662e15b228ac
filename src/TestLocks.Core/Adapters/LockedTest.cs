using System.Collections.Concurrent;
using System.Reflection;
using TestLocks.Adapters.Live;
using TestLocks.Testing;

namespace TestLocks.Adapters;

/// <summary>
/// The TestLocks lifecycle of one test case, the one contract every framework package drives: the test starts
/// (<see cref="Start"/>: its identity, its attributes, its arguments), takes its locks (<see cref="AcquireAsync"/>:
/// waiting, it gives its runner slot back and says live who holds its lock), holds them (a lock a backend loses cancels
/// it through its <see cref="TestChannel"/>), and ends (<see cref="DisposeAsync"/>: the locks go, last taken first).
/// This one place owns the requests and the one <c>[Serial]</c> rule (every test of a TestLocks-enabled assembly takes
/// the serial lock's read side; a <c>[Serial]</c> test its write side, first of all its locks), the holder's name,
/// the wait lines and where they go, lost-lock cancellation and re-entry: while the test runs, any flow of it that asks
/// again for one of its locks fails at once with <see cref="LockReentryException"/>. For framework packages, not for
/// tests: see Adapters/README.md.
/// </summary>
public sealed class LockedTest : IAsyncDisposable, IDisposable
{
    /// <summary>Holder records, wait lines and the journal carry the test's name cut to this length.</summary>
    internal const int MaxOwnerLength = 120;

    private static readonly ConcurrentDictionary<(MemberInfo?, Type), ILockRequestSource[]> s_attributes = new();
    private static readonly ConcurrentDictionary<Assembly, Lazy<LockFactory>> s_factories = new();

    private readonly TestCaseInfo _testCase;
    private readonly IReadOnlyList<ILockRequestSource> _attributes;
    private readonly TestChannel _channel;
    private readonly IReadOnlyDictionary<string, LockMode>? _heldAround;
    private readonly HashSet<string>? _countedAround;
    private readonly IReadOnlyDictionary<string, string>? _leasesAround;
    private readonly WaitLog _waits;
    private readonly IDisposable? _flow;
    private readonly IDisposable? _owner;
    private readonly IDisposable? _spanNames;
    private readonly bool _enclosing;
    private LockSetHandle? _locks;
    private LockFactory? _factory;
    private int _ended;

    private LockedTest(string id, string name, TestCaseInfo testCase, IReadOnlyList<ILockRequestSource> attributes, TestChannel channel,
        IReadOnlyDictionary<string, LockMode>? heldAround, bool enclosing, IReadOnlyCollection<LockedTest>? around = null)
    {
        Id = id;
        Owner = Cut(name);
        _testCase = testCase;
        _attributes = attributes;
        _channel = channel;
        _heldAround = heldAround;
        // A counted lock or pool an enclosing scope holds a slot of satisfies the test's request for it, and the test
        // reads the scope's pool members through Lease.Current (its own leases, taken later, win).
        _countedAround = around?.SelectMany(s => s.Locks?.Counted ?? []).ToHashSet(StringComparer.Ordinal);
        _leasesAround = around?.Reverse().SelectMany(s => s.Locks?.Leases ?? new Dictionary<string, string>())
            .GroupBy(l => l.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        _waits = new WaitLog(name);
        _enclosing = enclosing;
        if (enclosing) return;
        _flow = CurrentTest.Enter(id);
        if (_leasesAround is { Count: > 0 }) Lease.Register(id, _leasesAround);
        _owner = LockOwner.Set(Owner);
        _spanNames = Diagnostics.TestSpanNames.Enter(testCase);
    }

    /// <summary>The test's id, unique in this process while it runs.</summary>
    public string Id { get; }

    /// <summary>The test's name as its locks' holder records show it (cut to <see cref="MaxOwnerLength"/>).</summary>
    internal string Owner { get; }

    /// <summary>The factory the locks come from: the test assembly's <see cref="LockFactoryAttribute"/>'s, else
    /// <see cref="LockFactory.Default"/> (a test of TestLocks itself may set another).</summary>
    internal LockFactory Factory
    {
        get => _factory ??= FactoryOf(_testCase.TestClass.Assembly); // on first use: a bad INI fails the acquire, not the start
        set => _factory = value;
    }

    /// <summary>The held locks, once <see cref="AcquireAsync"/> returned; null before, and when the test asks for none.</summary>
    internal LockSetHandle? Locks => _locks;

    /// <summary>The held locks, once <see cref="AcquireAsync"/> returned; empty before, and when the test asks for none.
    /// A framework that can cancel a running test links their <see cref="LockHandle.HandleLostToken"/>s to it.</summary>
    public IReadOnlyList<LockHandle> Handles => _locks?.Handles ?? [];

    /// <summary>How long the test waited for its locks in all.</summary>
    internal TimeSpan Waited => _locks is { } locks ? WaitLog.TotalWait(locks) : TimeSpan.Zero;

    /// <summary>The line that says how long the test waited, for which locks and who held them; null when it did not wait.</summary>
    public string? WaitSummary { get; private set; }

    /// <summary>
    /// A test case starts: names it the running test of this flow and of the tasks it starts, until the test ends.
    /// Nothing is taken yet.
    /// </summary>
    /// <param name="id">The test's id, unique in this process while it runs (its framework's unique id).</param>
    /// <param name="name">The test's full name, as a person reads it in wait lines and holder records.</param>
    /// <param name="testCase">The test case, whose arguments format name templates.</param>
    /// <param name="attributes">Its TestLocks attributes from every level (<see cref="AttributesOf"/>); none for an unmarked test,
    /// which still takes the serial lock's read side.</param>
    /// <param name="channel">Where its lines go, and how it is cancelled.</param>
    /// <param name="enclosing">The scopes around the test (<see cref="StartScope"/>, innermost first) whose locks are held
    /// for the whole of it: the test does not take them again. Null or empty for none.</param>
    public static LockedTest Start(string id, string name, TestCaseInfo testCase, IReadOnlyList<ILockRequestSource> attributes,
        TestChannel channel, IEnumerable<LockedTest>? enclosing = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(channel);
        var around = enclosing?.ToList();
        if (around is { Count: 0 }) around = null; // no scope around it (NUnit passes its fixtures' for every test): nothing to merge
        return new LockedTest(id, name, testCase, attributes, channel, around is null ? null : HeldBy(around), enclosing: false, around);
    }

    /// <summary>
    /// A scope that encloses tests starts (NUnit's fixture with locks held from OneTimeSetUp to OneTimeTearDown): like
    /// <see cref="Start"/>, but its locks belong to no test and to no flow, and it takes nothing when it has no
    /// attributes. The tests inside pass what it holds as their <c>heldAround</c>.
    /// </summary>
    public static LockedTest StartScope(string id, string name, TestCaseInfo testCase, IReadOnlyList<ILockRequestSource> attributes, TestChannel channel)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(channel);
        return new LockedTest(id, name, testCase, attributes, channel, heldAround: null, enclosing: true);
    }

    /// <summary>For a framework that keeps the running test itself (TUnit, xUnit v3), where the flow that starts a test is
    /// not the one that runs it: <paramref name="currentTestId"/> tells the id of the test the calling flow runs.
    /// Adding the same delegate again does nothing.</summary>
    public static void FindRunningTestBy(Func<string?> currentTestId) => CurrentTest.AddSource(currentTestId);

    /// <summary>The id of the test the calling flow runs, as <see cref="Start"/> or a <see cref="FindRunningTestBy"/>
    /// source names it; null outside a test.</summary>
    public static string? RunningTestId => CurrentTest.Id;

    /// <summary>Whether the calling flow runs inside the <see cref="LockedTest"/> that <see cref="Start"/> started for
    /// <paramref name="id"/> in it (or in a flow it came from), and that has not ended: for a framework that nests one hook
    /// per attribute around a test (NUnit's wrappers), so that only the outermost starts it.</summary>
    public static bool IsStartedInThisFlow(string id) => id is not null && string.Equals(CurrentTest.FlowId, id, StringComparison.Ordinal);

    /// <summary>Names <paramref name="name"/> (cut to the owner length) the holder of the locks this flow and the tasks it
    /// starts take by any API, until disposed, unless a test or an outer scope named one already (then it does nothing):
    /// for a framework hook that runs outside a test's lifecycle, such as a fixture's one-time setup.</summary>
    public static IDisposable NameHolder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return LockOwner.Current is null ? LockOwner.Set(Cut(name)) : NoScope.Instance;
    }

    /// <summary>The factory of <paramref name="assembly"/>'s test locks (<see cref="LockFactoryAttribute"/>), made once.</summary>
    private static LockFactory FactoryOf(Assembly assembly) =>
        s_factories.GetOrAdd(assembly, static a => new Lazy<LockFactory>(() =>
            a.GetCustomAttributes(inherit: false).OfType<LockFactoryAttribute>().FirstOrDefault()?.Create() ?? LockFactory.Default)).Value;

    private static string Cut(string name) => name.Length <= MaxOwnerLength ? name : string.Concat(name.AsSpan(0, MaxOwnerLength - 3), "...");

    /// <summary>The TestLocks attributes of <paramref name="method"/> (null for a whole class) and its parameters (NUnit's
    /// <c>[Lease("database")] LeasedMember db</c>), of <paramref name="testClass"/> and its bases, and of its assembly, in
    /// that order. Cached.</summary>
    public static IReadOnlyList<ILockRequestSource> AttributesOf(Type testClass, MethodInfo? method)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        return s_attributes.GetOrAdd((method, testClass), static key =>
        {
            var (method, testClass) = key;
            IEnumerable<object> onMethod = method is null ? [] : method.GetCustomAttributes(inherit: true)
                .Concat(method is MethodBase m ? m.GetParameters().SelectMany(p => p.GetCustomAttributes(inherit: true)) : []);
            return [.. onMethod.Concat(testClass.GetCustomAttributes(inherit: true)).Concat(testClass.Assembly.GetCustomAttributes(inherit: true))
                .OfType<ILockRequestSource>()];
        });
    }

    /// <summary>The locks the test takes, in the order it takes them: its attributes' requests merged with the serial lock's
    /// read side (write side for a <c>[Serial]</c> test), less what an enclosing scope holds.</summary>
    /// <exception cref="TestLocksException">A name template or provider does not fit the test case, or the test asks to write a
    /// lock an enclosing scope holds for reading.</exception>
    internal IReadOnlyList<LockRequest> Requests()
    {
        var requests = new List<LockRequest>();
        if (_enclosing && _attributes.Count == 0) return requests;
        foreach (var attribute in _attributes) requests.AddRange(attribute.RequestsFor(_testCase));
        requests.Add(LockRequest.NotSerial()); // the one [Serial] rule: a [Serial] attribute's write side wins the merge
        return _heldAround is { Count: > 0 } || _countedAround is { Count: > 0 } ? WithoutHeldAround(requests) : requests;
    }

    /// <summary>Takes the test's locks (<see cref="Requests"/>) as one set, in a deadlock-free order. While it waits it
    /// gives its runner slot back (<see cref="RunnerSlot"/>) and says, at once and every warn_after, who holds the lock:
    /// live, and in the test's output.</summary>
    /// <remarks>When it throws, the test has ended as <see cref="DisposeAsync"/> ends it: nothing is held, and the caller need
    /// not dispose it (doing so does nothing).</remarks>
    /// <exception cref="LockTimeoutException">A lock was not acquired within lock_timeout; none is held.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; none is held.</exception>
    /// <exception cref="TestLocksException">The requests are wrong for this test (see <see cref="Requests"/>), or the lock_path or backend is.</exception>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var requests = Requests();
            if (requests.Count == 0) return;
            using var spanNames = Diagnostics.TestSpanNames.Enter(_testCase); // also for a scope, whose flow is not the test's
            Held(await LockSet.AcquireAsync(requests, Factory, Options(), cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The blocking form of <see cref="AcquireAsync"/>, for frameworks that run tests on their own threads.
    /// When it throws, the test has ended (see <see cref="AcquireAsync"/>).</summary>
    public void Acquire(CancellationToken cancellationToken = default)
    {
        try
        {
            var requests = Requests();
            if (requests.Count == 0) return;
            using var spanNames = Diagnostics.TestSpanNames.Enter(_testCase);
            Held(LockSet.Acquire(requests, Factory, Options(), cancellationToken));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The test has ended: releases its locks, last taken first, and it is no longer the running test of this flow. Idempotent.</summary>
    /// <exception cref="LockLostException">A backend lost one of the locks while the test held it: its work was not protected.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        _spanNames?.Dispose();
        _owner?.Dispose();
        _flow?.Dispose();
        try
        {
            if (_locks is { } locks) await locks.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_leasesAround is { Count: > 0 }) Lease.Unregister(Id, _leasesAround);
        }
    }

    /// <summary>The blocking form of <see cref="DisposeAsync"/>.</summary>
    /// <exception cref="LockLostException">A backend lost one of the locks while the test held it.</exception>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        _spanNames?.Dispose();
        _owner?.Dispose();
        _flow?.Dispose();
        try
        {
            _locks?.Dispose();
        }
        finally
        {
            if (_leasesAround is { Count: > 0 }) Lease.Unregister(Id, _leasesAround);
        }
    }

    private LockSetOptions Options() => new() { Owner = Owner, TestId = _enclosing ? null : Id, OnWaiting = notice => Say(_waits.Line(notice), summary: false) };

    private void Held(LockSetHandle locks)
    {
        _locks = locks;
        if (_waits.Summary(locks) is { } summary)
        {
            WaitSummary = summary;
            Say(summary, summary: true);
        }
        if (locks.CanBeLost) locks.OnLost(() => Safely(_channel.CancelTest));
    }

    /// <summary>A line: live where the runner shows nothing of the test process while it runs, and in the test's output.</summary>
    private void Say(string line, bool summary)
    {
        if (!(_channel.ShownLiveByVsTest && DotnetTest.VsTestShowsOutputLive && !DotnetTest.IsTestingPlatformMode)) LiveLine.Write(line);
        Safely(() =>
        {
            if (summary) _channel.WriteSummary(line);
            else _channel.WriteLine(line);
        });
    }

    /// <summary>A channel never fails the test or the runner: the line may race the end of the test's output.</summary>
    private static void Safely(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // a framework's output may throw anything once the test ended; the lock lifecycle goes on
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    /// <summary>The locks <paramref name="scopes"/> hold, by full name (write where any holds it for writing); null for none.</summary>
    private static Dictionary<string, LockMode>? HeldBy(IEnumerable<LockedTest> scopes)
    {
        Dictionary<string, LockMode>? held = null;
        foreach (var handle in scopes.SelectMany(s => s.Locks?.Handles ?? []))
        {
            held ??= new Dictionary<string, LockMode>(StringComparer.Ordinal);
            held[handle.Name] = held.TryGetValue(handle.Name, out var mode) && mode == LockMode.Write ? mode : handle.Mode;
        }
        return held;
    }

    /// <summary>Drops the requests an enclosing scope already satisfies: taking them again would wait on ourselves.</summary>
    private List<LockRequest> WithoutHeldAround(List<LockRequest> requests)
    {
        var factory = Factory;
        var remaining = new List<LockRequest>(requests.Count);
        foreach (var byName in requests.GroupBy(r => factory.CreateReaderWriterLock(r.Name, new LockOptions { Prefix = r.Prefix }).Name, StringComparer.Ordinal))
        {
            if (byName.All(r => r.IsLease || r.Slots is not null))
            {
                if (_countedAround?.Contains(byName.Key) != true) remaining.AddRange(byName);
                continue;
            }
            if (_heldAround?.TryGetValue(byName.Key, out var heldMode) != true)
            {
                remaining.AddRange(byName);
                continue;
            }
            if (heldMode == LockMode.Read && byName.Any(r => r.Mode == LockMode.Write))
            {
                throw new TestLocksException(
                    $"{Owner} asks for lock \"{byName.Key}\" for writing, but the scope around it holds it for reading for the whole " +
                    "of it, and a held read lock cannot be upgraded. Ask for it for writing at that scope (with NUnit: Mode = " +
                    "LockMode.Write, or [Serial(Scope = LockScope.Fixture)] for the serial lock, on the fixture), or drop one of the two requests.");
            }
        }
        return remaining;
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
