namespace TestLocks.Bench;

/// <summary>
/// The polling design TestLocks is measured against on Windows (HANDOFF_POLL=1): DistributedLock's file lock opens the
/// lock file with FileShare.None (and DeleteOnClose) and, while another process has it open, sleeps a random 50 ms to
/// 1 s before trying again.
/// </summary>
internal static class PollingFileLock
{
    public static IDisposable Acquire(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                Thread.Sleep(Random.Shared.Next(50, 1000));
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(Random.Shared.Next(50, 1000)); // a file being deleted on close
            }
        }
    }
}
