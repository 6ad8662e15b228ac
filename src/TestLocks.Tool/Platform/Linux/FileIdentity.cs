using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace TestLocks.Tool.Platform.Linux;

/// <summary>Which file a path is, as the kernel names it in <c>/proc/locks</c>: its device (major, minor) and inode,
/// through <c>statx</c> (.NET gives neither).</summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class FileIdentity
{
    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const uint StatxInode = 0x100; // STATX_INO

    /// <summary>The device and inode of <paramref name="path"/> (links followed); false when it cannot be read.</summary>
    public static bool TryGet(string path, out (uint Major, uint Minor, ulong Inode) id)
    {
        // struct statx: stx_ino at 32; stx_dev_major, stx_dev_minor at 136 and 140; 256 bytes in all.
        byte* buffer = stackalloc byte[256];
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        int result;
        fixed (byte* p = bytes) result = Statx(AtCurrentDirectory, p, 0, StatxInode, buffer);
        id = result == 0 ? (*(uint*)(buffer + 136), *(uint*)(buffer + 140), *(ulong*)(buffer + 32)) : default;
        return result == 0;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int directory, byte* path, int flags, uint mask, byte* buffer);
}
