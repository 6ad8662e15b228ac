using System.Runtime.InteropServices;

namespace TestLocks.Bench;

/// <summary>The bare P/Invoke floor for the handoff harness (HANDOFF_RAW=1): one fd, F_OFD_SETLKW, F_UNLCK. No TestLocks.</summary>
internal static unsafe partial class RawOfd
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Flock { public short Type; public short Whence; public long Start; public long Len; public int Pid; }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int cmd, Flock* flock);

    public static int Open(string path) => OpenNative(path, 0x42 | 0x80000, 0x1A4);

    public static IDisposable Lock(int fd)
    {
        var f = new Flock { Type = 1 };
        if (Fcntl(fd, 38, &f) != 0) throw new InvalidOperationException("F_OFD_SETLKW failed");
        return new Unlock(fd);
    }

    private sealed class Unlock(int fd) : IDisposable
    {
        public void Dispose()
        {
            var f = new Flock { Type = 2 };
            _ = Fcntl(fd, 37, &f);
        }
    }
}
