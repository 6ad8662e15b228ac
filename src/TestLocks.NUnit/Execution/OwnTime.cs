using NUnit.Framework.Internal;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// Gives a test that waited for its locks its whole [CancelAfter] time from the moment it got them: NUnit starts the
/// CancelAfter clock outside every attribute's wrapper, so the wait would count against the test's own timeout. The
/// lock's own bound is lock_timeout. (NUnit's [Timeout] is not available on .NET, only on .NET Framework.)
/// </summary>
internal sealed class OwnTime : IDisposable
{
    private readonly TestExecutionContext _context;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenSource _clock;

    private OwnTime(TestExecutionContext context, int milliseconds)
    {
        _context = context;
        _outer = context.CancellationToken;
        _clock = new CancellationTokenSource(milliseconds);
        context.CancellationToken = _clock.Token;
    }

    /// <summary>Restarts the CancelAfter clock of <paramref name="test"/>, if it has one; null when it has none.</summary>
    public static OwnTime? Restart(Test test, TestExecutionContext context)
    {
        if (!context.CancellationToken.CanBeCanceled) return null; // no CancelAfterCommand around this test
        var timeout = test.Properties.ContainsKey(PropertyNames.Timeout) ? (int)test.Properties.Get(PropertyNames.Timeout)! : context.TestCaseTimeout;
        return timeout > 0 ? new OwnTime(context, timeout) : null;
    }

    /// <summary>Whether the test used up its own time.</summary>
    public bool Expired => _clock.IsCancellationRequested;

    public void Dispose()
    {
        _context.CancellationToken = _outer;
        _clock.Dispose();
    }
}
