using System.Text;
using TestLocks.Processes.Masking;

namespace TestLocks.Processes.Execution;

/// <summary>Decides whether an exit code is a failure, and builds the masked exception that reports it.</summary>
internal static class ExitCodeCheck
{
    public static bool Fails(CommandOptions options, int exitCode) =>
        options.CheckExitCode && !options.AllowedExitCodes.Contains(exitCode);

    public static ProcessExecutionException Failure(CommandOptions options, string display, int exitCode,
        ReadOnlyMemory<byte> standardOutput, ReadOnlyMemory<byte> standardError)
    {
        var name = options.GetType().Name;
        var allowed = string.Join(", ", options.AllowedExitCodes);
        var description = $"{ProcessExecutionException.DefaultDescription} Exit code {exitCode} is not one of the allowed exit codes ({allowed}). "
            + $"If it means success, add it to {name}.AllowedExitCodes, or set {name}.CheckExitCode = false.";
        return new ProcessExecutionException(display, exitCode, Masked(standardOutput), Masked(standardError), description);
    }

    private static string Masked(ReadOnlyMemory<byte> output) => PasswordMasker.Mask(Encoding.UTF8.GetString(output.Span));
}
