namespace TestLocks;

/// <summary>
/// A configuration value is wrong: a malformed INI file, an unknown option, or a value of the wrong kind. The message
/// names the file and line (or the environment variable), the option, and what a valid value looks like.
/// </summary>
public sealed class TestLocksConfigurationException : TestLocksException
{
    /// <summary>Creates the exception.</summary>
    public TestLocksConfigurationException(string message, Exception? innerException = null) : base(message, innerException) { }
}
