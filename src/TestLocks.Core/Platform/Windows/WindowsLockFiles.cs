using System.Diagnostics;
using System.Runtime.Versioning;
using static TestLocks.Platform.Windows.WindowsNative;

namespace TestLocks.Platform.Windows;

/// <summary>
/// Windows: lock files locked with LockFileEx. The file is opened with FILE_SHARE_DELETE, so that it can be deleted
/// or replaced as on Linux; every acquire checks afterwards that the path still names the locked file. The waiting
/// form is a blocking LockFileEx, which the kernel completes the moment the lock is free (no polling); see
/// <see cref="WindowsLockFile"/> for the byte ranges, chosen to exclude Python fasteners/oslo on the same file.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsLockFiles : LockFilePlatform
{
    public override string Name => "Windows LockFileEx byte-range locks";

    public override LockFile? TryOpen(string path, bool create, out PlatformError error)
    {
        var handle = CreateFile(Long(path), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 0,
            create ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, 0);
        if (handle.IsInvalid)
        {
            error = OpenError(path, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            handle.Dispose();
            return null;
        }
        if (!GetFileInformationByHandle(handle, out var info))
        {
            error = Error(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            handle.Dispose();
            return null;
        }
        if ((info.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0)
        {
            // Opened the link itself (FILE_FLAG_OPEN_REPARSE_POINT): lock files never follow links.
            error = new PlatformError(PlatformErrorKind.IsLink, 0, "the path is a symbolic link or junction");
            handle.Dispose();
            return null;
        }
        error = PlatformError.None;
        return new WindowsLockFile(handle, path, FileId.Of(info));
    }

    public override PlatformError CreateDirectory(string path, int mode)
        => WindowsNative.CreateDirectory(Long(path), 0) ? PlatformError.None : Error(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());

    public override bool IsProcessAlive(int pid)
    {
        if (pid <= 0) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; } // not running
        catch (InvalidOperationException) { return false; }
        catch (System.ComponentModel.Win32Exception) { return true; } // running, but not ours to inspect
    }

    public override string? CommandLineOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>An open that failed with access denied may be a directory, or a file deleted while others still have it
    /// open (delete pending): say which.</summary>
    private static PlatformError OpenError(string path, int error)
    {
        if (error == ERROR_ACCESS_DENIED && Directory.Exists(path))
        {
            return new PlatformError(PlatformErrorKind.IsDirectory, error, Describe(error));
        }
        return Error(error);
    }

    internal static PlatformError Error(int error) => new(error switch
    {
        ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND => PlatformErrorKind.NotFound,
        ERROR_ACCESS_DENIED or ERROR_SHARING_VIOLATION or ERROR_CANT_ACCESS_FILE => PlatformErrorKind.AccessDenied,
        ERROR_WRITE_PROTECT => PlatformErrorKind.ReadOnly,
        ERROR_DIRECTORY => PlatformErrorKind.IsDirectory,
        ERROR_ALREADY_EXISTS or ERROR_FILE_EXISTS => PlatformErrorKind.NotDirectory,
        _ => PlatformErrorKind.Other,
    }, error, Describe(error));
}

/// <summary>The identity of a file on Windows: its volume and its file index.</summary>
[SupportedOSPlatform("windows")]
internal readonly record struct FileId(uint Volume, ulong Index)
{
    public static FileId Of(in ByHandleFileInformation info) => new(info.VolumeSerialNumber, ((ulong)info.FileIndexHigh << 32) | info.FileIndexLow);

    /// <summary>The identity of the file <paramref name="path"/> names now, without following a link; null when none.</summary>
    public static FileId? OfPath(string path)
    {
        using var handle = CreateFile(Long(path), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 0, OPEN_EXISTING,
            FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, 0);
        if (handle.IsInvalid || !GetFileInformationByHandle(handle, out var info)) return null;
        return Of(info);
    }
}
