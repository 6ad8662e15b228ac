using System.Runtime.InteropServices;
using System.Text;

namespace Fx;

/// <summary>
/// One file that the fixture test processes and the harness append lines to, each line with one write(2) on an O_APPEND
/// descriptor, so the file's order is the order in which the lines were written, across processes.
/// Line format: <c>pid|who|what|detail</c>.
/// </summary>
public static partial class Journal
{
    /// <summary>The environment variable that names the journal file for fixture processes.</summary>
    public const string Variable = "FIXTURE_JOURNAL";

    private const int O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;

    /// <summary>Appends <c>pid|who|what|detail</c> to <paramref name="path"/>.</summary>
    public static void Append(string path, string who, string what, string detail = "")
    {
        var bytes = Encoding.UTF8.GetBytes($"{Environment.ProcessId}|{who}|{what}|{detail}\n");
        var fd = Open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0x1A4);
        if (fd < 0) throw new IOException($"Cannot open the journal {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Write(fd, bytes, bytes.Length) != bytes.Length) throw new IOException($"Short write to the journal {path}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
