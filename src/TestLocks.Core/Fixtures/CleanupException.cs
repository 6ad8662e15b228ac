namespace TestLocks.Fixtures;

/// <summary>One or more cleanups failed. Every cleanup still ran; this carries each failure, in the order they happened.</summary>
public sealed class CleanupException : TestLocksException
{
    /// <summary>Creates the exception from the failures.</summary>
    public CleanupException(IReadOnlyList<Exception> errors)
        : base(BuildMessage(errors), errors.Count > 0 ? errors[0] : null)
    {
        InnerExceptions = errors;
    }

    /// <summary>Every failure, in the order the cleanups ran.</summary>
    public IReadOnlyList<Exception> InnerExceptions { get; }

    private static string BuildMessage(IReadOnlyList<Exception> errors)
    {
        var lines = errors.Select((e, i) => $"  {i + 1}. {e.GetType().Name}: {e.Message}");
        return $"{errors.Count} cleanup(s) failed (every cleanup still ran, last registered first):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
