namespace TestLocks.Processes.Tests.Support;

/// <summary>A fresh directory for one test, deleted with everything in it at the end.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("testlocks-processes-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process the test started may still be writing here; the directory is in /tmp anyway.
        }
    }
}
