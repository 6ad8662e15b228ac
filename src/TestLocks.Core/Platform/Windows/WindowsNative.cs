using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace TestLocks.Platform.Windows;

/// <summary>The few kernel32 calls the Windows lock files need.</summary>
[SupportedOSPlatform("windows")]
internal static unsafe partial class WindowsNative
{
    private const string Kernel32 = "kernel32.dll";

    public const uint GENERIC_READ = 0x80000000, GENERIC_WRITE = 0x40000000;
    public const uint FILE_SHARE_READ = 1, FILE_SHARE_WRITE = 2, FILE_SHARE_DELETE = 4;
    public const uint OPEN_EXISTING = 3, OPEN_ALWAYS = 4;
    public const uint FILE_ATTRIBUTE_NORMAL = 0x80, FILE_ATTRIBUTE_DIRECTORY = 0x10, FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
    public const uint FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000, FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
    public const uint LOCKFILE_FAIL_IMMEDIATELY = 1, LOCKFILE_EXCLUSIVE_LOCK = 2;

    public const int ERROR_FILE_NOT_FOUND = 2, ERROR_PATH_NOT_FOUND = 3, ERROR_ACCESS_DENIED = 5, ERROR_INVALID_HANDLE = 6,
        ERROR_WRITE_PROTECT = 19, ERROR_SHARING_VIOLATION = 32, ERROR_LOCK_VIOLATION = 33, ERROR_FILE_EXISTS = 80,
        ERROR_INVALID_PARAMETER = 87, ERROR_INVALID_NAME = 123, ERROR_ALREADY_EXISTS = 183, ERROR_DIRECTORY = 267,
        ERROR_OPERATION_ABORTED = 995, ERROR_IO_PENDING = 997, ERROR_CANT_ACCESS_FILE = 1920, ERROR_DELETE_PENDING = 303;

    [StructLayout(LayoutKind.Sequential)]
    public struct ByHandleFileInformation
    {
        public uint FileAttributes;
        public long CreationTime, LastAccessTime, LastWriteTime;
        public uint VolumeSerialNumber;
        public uint FileSizeHigh, FileSizeLow;
        public uint NumberOfLinks;
        public uint FileIndexHigh, FileIndexLow;
    }

    [LibraryImport(Kernel32, EntryPoint = "CreateFileW", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    public static partial SafeFileHandle CreateFile(string path, uint access, uint share, nint security, uint disposition, uint flags, nint template);

    [LibraryImport(Kernel32, EntryPoint = "CreateDirectoryW", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CreateDirectory(string path, nint security);

    [LibraryImport(Kernel32, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool LockFileEx(SafeFileHandle file, uint flags, uint reserved, uint lengthLow, uint lengthHigh, NativeOverlapped* overlapped);

    [LibraryImport(Kernel32, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool UnlockFileEx(SafeFileHandle file, uint reserved, uint lengthLow, uint lengthHigh, NativeOverlapped* overlapped);

    [LibraryImport(Kernel32, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool GetFileInformationByHandle(SafeFileHandle file, out ByHandleFileInformation information);

    [LibraryImport(Kernel32, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool ReadFile(SafeFileHandle file, byte* buffer, uint count, out uint read, NativeOverlapped* overlapped);

    [LibraryImport(Kernel32, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool WriteFile(SafeFileHandle file, byte* buffer, uint count, out uint written, NativeOverlapped* overlapped);

    /// <summary>Locks or unlocks [<paramref name="offset"/>, +<paramref name="length"/>). Returns 0 or the Win32 error.</summary>
    public static int Lock(SafeFileHandle file, long offset, long length, bool exclusive, bool wait)
    {
        var overlapped = At(offset);
        var flags = (exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
        return LockFileEx(file, flags, 0, (uint)length, (uint)(length >> 32), &overlapped) ? 0 : Marshal.GetLastPInvokeError();
    }

    public static int Unlock(SafeFileHandle file, long offset, long length)
    {
        var overlapped = At(offset);
        return UnlockFileEx(file, 0, (uint)length, (uint)(length >> 32), &overlapped) ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Reads at <paramref name="offset"/> without moving any file pointer that matters; returns bytes read, or -1.</summary>
    public static int ReadAt(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        var overlapped = At(offset);
        fixed (byte* p = buffer)
        {
            return ReadFile(file, p, (uint)buffer.Length, out var read, &overlapped) ? (int)read : -1;
        }
    }

    public static bool WriteAt(SafeFileHandle file, ReadOnlySpan<byte> buffer, long offset)
    {
        var overlapped = At(offset);
        fixed (byte* p = buffer)
        {
            return WriteFile(file, p, (uint)buffer.Length, out var written, &overlapped) && written == buffer.Length;
        }
    }

    private static NativeOverlapped At(long offset) => new() { OffsetLow = (int)offset, OffsetHigh = (int)(offset >> 32) };

    /// <summary>The path as CreateFileW takes it beyond MAX_PATH: fully qualified, with the \\?\ prefix when long.</summary>
    public static string Long(string path)
    {
        var full = Path.GetFullPath(path);
        if (full.Length < 248 || full.StartsWith(@"\\?\", StringComparison.Ordinal)) return full;
        return full.StartsWith(@"\\", StringComparison.Ordinal) ? @"\\?\UNC\" + full[2..] : @"\\?\" + full;
    }

    public static string Describe(int error) => $"{Marshal.GetPInvokeErrorMessage(error)} (Windows error {error})";
}
