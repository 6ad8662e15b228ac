using System.Buffers;
using System.Buffers.Text;
using TestLocks.Platform;

namespace TestLocks.Backends.File;

/// <summary>
/// The fencing counter of a lock file: 20 decimal digits and a newline right after the holder record (bytes 512-532 of
/// the file, or, on Windows, of the record's area, inside the range a holder locks), the last fencing token handed out.
/// Only an exclusive (write) holder reads, increments and writes it, so every write acquire of the file, in any
/// process, gets a token greater than all before it. Python oslo/fasteners holders neither read nor write it (they
/// never touch a lock file's contents); their acquires take no token. Not synced to disk: the page cache is one for
/// every process of the machine, and a holder killed after writing has written (a crash of the whole machine may lose
/// the last increments; see docs/backends.md). Deleting the lock file starts its count again.
/// </summary>
internal static class FencingCounter
{
    private const int Digits = 20;

    /// <summary>Where the counter lives, past the start of the holder record.</summary>
    public const int Offset = HolderRecord.Size;

    /// <summary>The next fencing token of <paramref name="file"/>, whose exclusive lock the caller holds, stored before
    /// it is returned; null when it could not be stored (the lock file is not writable, the disk is full), since a token
    /// that is not stored could be handed out again.</summary>
    public static long? Next(LockFile file)
    {
        Span<byte> slot = stackalloc byte[Digits + 1];
        var n = file.ReadRecord(slot, Offset);
        var last = n == slot.Length && Utf8Parser.TryParse(slot[..Digits], out long value, out var consumed) && consumed == Digits && value >= 0 ? value : 0;
        if (last == long.MaxValue) return null;
        var next = last + 1;
        if (!Utf8Formatter.TryFormat(next, slot, out _, new StandardFormat('D', Digits))) return null;
        slot[Digits] = (byte)'\n';
        return file.WriteRecord(slot, Offset) ? next : null;
    }
}
