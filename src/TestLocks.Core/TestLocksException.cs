namespace TestLocks;

/// <summary>
/// The root of every error TestLocks raises itself. Catch this type to handle any TestLocks failure;
/// each message names what went wrong, the setting or value involved, and how to fix it.
/// </summary>
public class TestLocksException : Exception
{
    /// <summary>Creates the exception with a message that says what failed and how to fix it.</summary>
    public TestLocksException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public TestLocksException(string message, Exception? innerException) : base(message, innerException) { }
}
