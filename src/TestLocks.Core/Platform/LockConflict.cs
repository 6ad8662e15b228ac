namespace TestLocks.Platform;

/// <summary>Who blocks a lock, as far as the OS tells: the mode of the conflicting lock, and the pid of its process
/// when the OS names it (Linux names the pid of a classic POSIX lock, such as Python oslo's, but not of an OFD lock).</summary>
internal readonly record struct LockConflict(LockMode Mode, int? ProcessId);
