using NUnit.Framework.Internal;

namespace TestLocks.NUnit.Timing;

/// <summary>
/// Makes the test's CancellationToken (<c>TestContext.CurrentContext.CancellationToken</c>, which NUnit gives tests that
/// have [CancelAfter]) fire also when a backend loses one of the test's locks while it runs (a server connection
/// dropped, a lease expired), so the test stops at once; the release then fails it with <see cref="LockLostException"/>.
/// Disposing puts the previous token back.
/// </summary>
internal sealed class LossCancellation : IDisposable
{
    private readonly TestExecutionContext _context;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenSource _linked;

    private LossCancellation(TestExecutionContext context, CancellationToken[] lost)
    {
        _context = context;
        _outer = context.CancellationToken;
        _linked = CancellationTokenSource.CreateLinkedTokenSource([_outer, .. lost]);
        OwnTime.SetToken(context, _linked.Token);
    }

    /// <summary>Links the test's token to the loss of <paramref name="handles"/>; null when the test has no token
    /// (no [CancelAfter]), when none of its locks can be lost (lock files), or when this NUnit lacks the token's setter.</summary>
    public static LossCancellation? Link(IReadOnlyList<LockHandle> handles, TestExecutionContext context)
    {
        if (!OwnTime.CanSetToken || !context.CancellationToken.CanBeCanceled) return null;
        var lost = handles.Select(h => h.HandleLostToken).Where(t => t.CanBeCanceled).ToArray();
        return lost.Length == 0 ? null : new LossCancellation(context, lost);
    }

    /// <summary>Whether a lock was lost while the test ran (rather than its own time running out).</summary>
    public bool Lost => _linked.IsCancellationRequested && !_outer.IsCancellationRequested;

    public void Dispose()
    {
        OwnTime.SetToken(_context, _outer);
        _linked.Dispose();
    }
}
