namespace TestLocks.Tool.Run;

/// <summary>Fires <see cref="Token"/> when any of the held locks is lost, and names the first one lost.</summary>
internal sealed class LostLockWatch : IDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly List<CancellationTokenRegistration> _watches;
    private string? _name;

    public LostLockWatch(IEnumerable<LockHandle> handles)
    {
        Token = _lost.Token;
        _watches = handles.Select(h => h.HandleLostToken.Register(() =>
        {
            Interlocked.CompareExchange(ref _name, h.Name, null);
            _lost.Cancel();
        })).ToList();
    }

    public CancellationToken Token { get; }

    /// <summary>The lock lost first.</summary>
    public string Name => _name ?? "?";

    public void Dispose()
    {
        _watches.ForEach(w => w.Dispose());
        _lost.Dispose();
    }
}
