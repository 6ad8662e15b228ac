using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static TestLocks.Platform.Windows.WindowsNative;

namespace TestLocks.Platform.Windows;

/// <summary>
/// One lock file on Windows. Byte-range locks there are mandatory (a locked range cannot be read by others) and
/// Python's fasteners locks one byte: <c>InterProcessLock</c> calls <c>msvcrt.locking(fd, LK_NBLCK, 1)</c> on a file
/// it opened in append mode, which locks the byte at the end of the file as it was when opened (byte 0 of an empty
/// lock file); <c>InterProcessReaderWriterLock</c> locks byte 0 with LockFileEx. So a TestLocks holder locks, in this
/// order and in the same mode (shared for readers, exclusive for writers):
/// <list type="bullet">
/// <item>byte 0, the lock byte (the same byte as fasteners' reader/writer lock, and fasteners' lock on an empty file);</item>
/// <item>every byte from <see cref="GuardStart"/> up to the turnstile byte (2^62), which holds any end of file fasteners
/// can see once a holder record has been written, since records are written whole.</item>
/// </list>
/// The holder record lives between the two, at offset 1, where waiters can read it while the lock is held.
/// TestLocks waiters take byte 0 first, so they queue on one byte and never hold the guard while waiting for byte 0.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsLockFile(SafeFileHandle handle, string path, FileId id) : LockFile
{
    /// <summary>Where the holder record starts.</summary>
    public const long RecordStart = 1;

    /// <summary>Where the guard range starts: just past the holder record.</summary>
    public const long GuardStart = RecordStart + RecordSize;

    /// <summary>The writers' turnstile (see <see cref="LockFile.LockTurnstile"/>): one byte past the guard range, as on Linux.</summary>
    public const long TurnstileByte = 1L << 62;

    private const long GuardLength = TurnstileByte - GuardStart;

    private LockMode? _held;

    public override PlatformError Lock(LockMode mode, bool wait)
    {
        var exclusive = mode == LockMode.Write;
        var error = WindowsNative.Lock(handle, 0, 1, exclusive, wait);
        if (error == 0)
        {
            error = WindowsNative.Lock(handle, GuardStart, GuardLength, exclusive, wait);
            if (error == 0)
            {
                _held = mode;
                return PlatformError.None;
            }
            WindowsNative.Unlock(handle, 0, 1);
        }
        return !wait && error == ERROR_LOCK_VIOLATION ? PlatformError.Busy : WindowsLockFiles.Error(error);
    }

    public override PlatformError LockTurnstile(LockMode mode, bool wait)
    {
        var error = WindowsNative.Lock(handle, TurnstileByte, 1, mode == LockMode.Write, wait);
        if (error == 0) return PlatformError.None;
        return !wait && error == ERROR_LOCK_VIOLATION ? PlatformError.Busy : WindowsLockFiles.Error(error);
    }

    public override void UnlockTurnstile() => WindowsNative.Unlock(handle, TurnstileByte, 1);

    public override bool Unlock()
    {
        var held = _held;
        _held = null;
        var ok = (WindowsNative.Unlock(handle, GuardStart, GuardLength) == 0) & (WindowsNative.Unlock(handle, 0, 1) == 0);
        if (ok && held == LockMode.Read) ClearRecordIfLastReader();
        return ok;
    }

    /// <summary>A reader cannot tell other readers from itself while it holds its shared lock, so the engine leaves
    /// the record to them (<see cref="GetConflict"/>). Once unlocked it can: if the lock byte is free, no reader is
    /// left, and the record is blanked under a momentary exclusive lock, as the last holder does on Linux.</summary>
    private void ClearRecordIfLastReader()
    {
        if (WindowsNative.Lock(handle, 0, 1, exclusive: true, wait: false) != 0) return;
        try
        {
            ClearRecord();
        }
        finally
        {
            WindowsNative.Unlock(handle, 0, 1);
        }
    }

    public override bool IsNamedBy(string path) => FileId.OfPath(path) == id;

    public override LockConflict? GetConflict()
    {
        switch (_held)
        {
            case LockMode.Write: return null; // nobody else can hold it
            case LockMode.Read: return new LockConflict(LockMode.Read, null); // other readers may: Windows cannot tell them from us
        }
        // Windows has no query for lock owners: probe with locks that are let go at once.
        if (WindowsNative.Lock(handle, 0, 1, exclusive: true, wait: false) == 0)
        {
            WindowsNative.Unlock(handle, 0, 1);
            if (WindowsNative.Lock(handle, GuardStart, GuardLength, exclusive: true, wait: false) != 0)
            {
                return new LockConflict(LockMode.Write, null); // a byte past the record: Python fasteners' InterProcessLock
            }
            WindowsNative.Unlock(handle, GuardStart, GuardLength);
            return null;
        }
        if (WindowsNative.Lock(handle, 0, 1, exclusive: false, wait: false) == 0)
        {
            WindowsNative.Unlock(handle, 0, 1);
            return new LockConflict(LockMode.Read, null);
        }
        return new LockConflict(LockMode.Write, null);
    }

    /// <summary>Windows does not say which process holds a byte-range lock.</summary>
    public override bool? IsLockedByProcess(int pid) => null;

    public override bool WriteRecord(ReadOnlySpan<byte> record, int at = 0) => WriteAt(handle, record, RecordStart + at);

    public override int ReadRecord(Span<byte> buffer, int at = 0) => Math.Max(0, ReadAt(handle, buffer, RecordStart + at));

    public override void Dispose() => handle.Dispose();

    public override string ToString() => path;
}
