namespace TestLocks.Processes.Tests.Support;

/// <summary>What every test class uses; imported into every test file with a global <c>using static</c>.</summary>
internal static class Shortcuts
{
    /// <summary>The running test's cancellation token, for every call that takes one.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Retries at once, so retry tests do not wait oslo's random 0.2 to 2 s.</summary>
    public static readonly Func<int, TimeSpan> NoRetryDelay = _ => TimeSpan.Zero;

    /// <summary>Every byte value once, for binary input and output.</summary>
    public static readonly byte[] AllBytes = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
}
