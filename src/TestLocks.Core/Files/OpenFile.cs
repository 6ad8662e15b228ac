using TestLocks.Platform;

namespace TestLocks.Files;

/// <summary>An open lock file: its descriptor and the identity (device, inode) of the file it refers to, read once
/// at open, so that verifying a lock costs one stat of the path rather than two calls.</summary>
internal sealed record OpenFile(int Fd, LinuxNative.FileId Id)
{
    /// <summary>Whether <paramref name="path"/> still names the file this descriptor refers to.</summary>
    public bool IsNamedBy(string path) => LinuxNative.TryStat(path, out var named, out _) && named == Id;

    public void Close() => LinuxNative.Close(Fd);
}
