using System.Collections.Concurrent;

namespace TestLocks.Postgres;

/// <summary>
/// This process's <see cref="HoldingSession"/> for each server (connection string): one for every backend and
/// factory of the process that names the same backend_url. A lost session is replaced by a new one at the next grant.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One per backend_url for the life of the process.")]
internal sealed class HoldingSessions
{
    private static readonly ConcurrentDictionary<string, HoldingSessions> s_all = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private HoldingSession? _current;

    private HoldingSessions(string connectionString) => _connectionString = connectionString;

    /// <summary>The holding sessions of <paramref name="connectionString"/>.</summary>
    public static HoldingSessions For(string connectionString) => s_all.GetOrAdd(connectionString, static c => new HoldingSessions(c));

    /// <summary>The session, opened when there is none or the last one was lost.</summary>
    /// <param name="answerWithin">keepalive: how long a statement on it may go unanswered before its locks are lost.</param>
    /// <param name="cancellationToken">Cancels the wait for, or the opening of, the session.</param>
    public async Task<HoldingSession> GetAsync(TimeSpan answerWithin, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { IsLost: false } current) return current;
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { IsLost: false } opened) return opened;
            var session = await HoldingSession.OpenAsync(_connectionString, answerWithin, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, session);
            return session;
        }
        finally
        {
            _opening.Release();
        }
    }
}
