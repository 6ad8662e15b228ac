using Fx;

namespace TestLocks.TestSupport.CrossProcess;

/// <summary>One line of the journal: <c>pid|who|what|detail</c>, at its position in the file.</summary>
internal sealed record JournalEntry(int Index, int Pid, string Who, string What, string Detail)
{
    /// <summary>A phase of a fixture test instance ("AsyncLifetimePhases#3"), as opposed to "acquiring" or harness lines.</summary>
    public bool IsPhase => Who.Contains('#', StringComparison.Ordinal);

    public string Class => Who[..Who.IndexOf('#', StringComparison.Ordinal)];

    public override string ToString() => $"{Index}: {Pid}|{Who}|{What}|{Detail}";
}

/// <summary>The harness side of <see cref="Journal"/>: reads the file, and waits for lines without polling (inotify).</summary>
internal sealed class JournalFile : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JournalFile(string path)
    {
        Path = path;
        File.WriteAllText(path, "");
        _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(path)!, System.IO.Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        _watcher.EnableRaisingEvents = true;
    }

    public string Path { get; }

    public void Append(string who, string what, string detail = "") => Journal.Append(Path, who, what, detail);

    public IReadOnlyList<JournalEntry> Read() =>
        File.ReadAllLines(Path).Select((line, i) =>
        {
            var p = line.Split('|');
            return new JournalEntry(i, int.Parse(p[0]), p[1], p[2], p[3]);
        }).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds for the journal; fails when every child exited first, or after a minute.</summary>
    public async Task<IReadOnlyList<JournalEntry>> WaitForAsync(string what, Func<IReadOnlyList<JournalEntry>, bool> condition, params ChildRun[] children)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var entries = Read();
            if (condition(entries)) return entries;
            if (children.All(c => c.HasExited))
            {
                throw new InvalidOperationException($"Waiting for {what}: the fixture processes exited first.\n{Dump(entries)}\n{string.Join('\n', children.Select(c => c.Output))}");
            }
            try
            {
                // Only the children still running: an exited one's task is complete, and waiting on it would spin this
                // loop (and a CPU) past the timeout for as long as the run lasts.
                await Task.WhenAny(children.Where(c => !c.HasExited).Select(c => c.Exited).Append(changed)).WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waiting for {what}: not there after a minute.\n{Dump(entries)}\n{string.Join('\n', children.Select(c => c.Output))}");
            }
        }
    }

    public static string Dump(IEnumerable<JournalEntry> entries) => "journal:\n" + string.Join('\n', entries);

    public void Dispose() => _watcher.Dispose();
}
