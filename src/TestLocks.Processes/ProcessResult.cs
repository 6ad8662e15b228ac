using System.Text;

namespace TestLocks.Processes;

/// <summary>
/// What a finished command produced: its exit code and its standard output and error, as raw bytes (oslo's
/// <c>binary=True</c>) and as UTF-8 text (the default). Deconstructs like oslo's <c>(stdout, stderr)</c> tuple:
/// <c>var (stdout, stderr) = await ProcessUtils.ExecuteAsync(["ls"]);</c>
/// </summary>
public sealed class ProcessResult
{
    private readonly Lazy<string> _standardOutput;
    private readonly Lazy<string> _standardError;

    internal ProcessResult(int exitCode, ReadOnlyMemory<byte> standardOutput, ReadOnlyMemory<byte> standardError)
    {
        ExitCode = exitCode;
        StandardOutputBytes = standardOutput;
        StandardErrorBytes = standardError;
        _standardOutput = new Lazy<string>(() => Decode(standardOutput));
        _standardError = new Lazy<string>(() => Decode(standardError));
    }

    /// <summary>The exit code. A process killed by a signal reports 128 + the signal number; over SSH, -1 means the
    /// server sent no exit status.</summary>
    public int ExitCode { get; }

    /// <summary>Standard output exactly as the command wrote it.</summary>
    public ReadOnlyMemory<byte> StandardOutputBytes { get; }

    /// <summary>Standard error exactly as the command wrote it.</summary>
    public ReadOnlyMemory<byte> StandardErrorBytes { get; }

    /// <summary>Standard output decoded as UTF-8 (invalid bytes become U+FFFD). Decoded on first use.</summary>
    public string StandardOutput => _standardOutput.Value;

    /// <summary>Standard error decoded as UTF-8 (invalid bytes become U+FFFD). Decoded on first use.</summary>
    public string StandardError => _standardError.Value;

    /// <summary>Gives <c>(stdout, stderr)</c> as text, like oslo's <c>execute()</c> return value.</summary>
    public void Deconstruct(out string standardOutput, out string standardError)
    {
        standardOutput = StandardOutput;
        standardError = StandardError;
    }

    private static string Decode(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
