using System.Runtime.InteropServices;

namespace TestLocks.Platform.Linux;

/// <summary>Owner and mode of a path, through the same <c>statx</c> (.NET gives the mode but not the owner).</summary>
internal static unsafe partial class LinuxNative
{
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8;
    private const int S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFLNK = 0xA000;

    /// <summary>What <c>statx</c> says of a path's owner and mode.</summary>
    /// <param name="Uid">The owner's user id.</param>
    /// <param name="Mode">The type and permission bits (<c>st_mode</c>).</param>
    public readonly record struct FileStatus(uint Uid, int Mode)
    {
        public bool IsDirectory => (Mode & S_IFMT) == S_IFDIR;

        public bool IsSymbolicLink => (Mode & S_IFMT) == S_IFLNK;

        /// <summary>Whether a user other than the owner may create, delete or rename entries (mode bits 0022).</summary>
        public bool IsWritableByOthers => (Mode & 0x12) != 0;

        /// <summary>The permission bits in octal, as <c>ls</c> and <c>chmod</c> write them: "0777".</summary>
        public string Permissions => "0" + Convert.ToString(Mode & 0xFFF, 8);
    }

    /// <summary>Reads <paramref name="path"/>'s owner and mode; of a link itself when <paramref name="followLinks"/> is false.</summary>
    /// <returns>0, or the errno (ENOENT when nothing is there).</returns>
    public static int GetStatus(string path, bool followLinks, out FileStatus status)
    {
        // struct statx: stx_uid at 20, stx_mode (16 bits) at 28; 256 bytes in all.
        byte* buf = stackalloc byte[256];
        var encoded = Utf8Path(path);
        int result;
        fixed (byte* p = encoded) result = Statx(AT_FDCWD, p, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MODE | STATX_UID, buf);
        if (result != 0)
        {
            status = default;
            return Marshal.GetLastPInvokeError();
        }
        status = new FileStatus(*(uint*)(buf + 20), *(ushort*)(buf + 28));
        return 0;
    }
}
