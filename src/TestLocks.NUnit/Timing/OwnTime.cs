using System.Reflection;
using NUnit.Framework.Internal;

namespace TestLocks.NUnit.Timing;

/// <summary>
/// Gives a test that waited for its locks its whole [CancelAfter] time from the moment it got them: NUnit starts the
/// CancelAfter clock outside every attribute's wrapper, so the wait would count against the test's own timeout. The
/// lock's own bound is lock_timeout. (NUnit's [Timeout] is not available on .NET, only on .NET Framework.)
/// NUnit sets the test's token only from its own CancelAfter command (the setter is internal), so this sets it through
/// that setter; where an NUnit version lacks it, the clock is not restarted (the wait then counts, as before).
/// </summary>
internal sealed class OwnTime : IDisposable
{
    private static readonly MethodInfo? s_setToken =
        typeof(TestExecutionContext).GetProperty(nameof(TestExecutionContext.CancellationToken))?.GetSetMethod(nonPublic: true);

    private readonly TestExecutionContext _context;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenSource _clock;

    private OwnTime(TestExecutionContext context, int milliseconds)
    {
        _context = context;
        _outer = context.CancellationToken;
        _clock = new CancellationTokenSource(milliseconds);
        SetToken(context, _clock.Token);
    }

    /// <summary>Restarts the CancelAfter clock of <paramref name="test"/>, if it has one; null when it has none.</summary>
    public static OwnTime? Restart(Test test, TestExecutionContext context)
    {
        if (s_setToken is null || !context.CancellationToken.CanBeCanceled) return null; // no CancelAfterCommand around this test
        var timeout = test.Properties.ContainsKey(PropertyNames.Timeout) ? (int)test.Properties.Get(PropertyNames.Timeout)! : context.TestCaseTimeout;
        return timeout > 0 ? new OwnTime(context, timeout) : null;
    }

    /// <summary>Whether the test used up its own time.</summary>
    public bool Expired => _clock.IsCancellationRequested;

    public void Dispose()
    {
        SetToken(_context, _outer);
        _clock.Dispose();
    }

    /// <summary>Whether this NUnit lets the test's token be set (its setter is internal).</summary>
    internal static bool CanSetToken => s_setToken is not null;

    /// <summary>Sets the test's token (<c>TestContext.CurrentContext.CancellationToken</c>).</summary>
    internal static void SetToken(TestExecutionContext context, CancellationToken token) => s_setToken!.Invoke(context, [token]);
}
