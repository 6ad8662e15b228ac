using Npgsql;

namespace TestLocks.Postgres;

/// <summary>
/// Cancels a waiting statement from inside the server: <c>pg_cancel_backend</c> of the waiting session, run on another
/// pooled session of the same role. Npgsql's own cancellation opens a new connection for its CancelRequest, which the
/// server answers by starting a process; a counted lock cancels the waits it did not win on every acquire (all but one
/// of its slots), so that was a process started per lost wait. A pooled session costs a round trip.
/// </summary>
/// <remarks>
/// The signal cancels only a statement that runs when it arrives: one sent before the server began the wait (the
/// statement still on its way) would be ignored, and the wait would go on. So the signal is sent only to a session that
/// pg_stat_activity shows running its statement; one that is not running it yet is asked again when the statement
/// arrives, or not at all if the statement ends first (<see cref="Ended"/>). The waiting session runs nothing after its
/// wait until <see cref="SentAsync"/> has finished, so a signal that comes as the wait ends finds it idle and does
/// nothing. When no pooled session can be had (pool exhausted, server gone), or the statement has not begun within
/// two seconds, Npgsql's cancellation is the fallback.
/// </remarks>
internal sealed class ServerCancel(string connectionString, NpgsqlCommand waiting, int sessionId)
{
    private const string Sql = "SELECT pg_catalog.pg_cancel_backend(pid) FROM pg_catalog.pg_stat_activity WHERE pid = $1 AND state = 'active'";

    /// <summary>How long a statement may be on its way before Npgsql's cancellation is used instead (it ends the
    /// connection when the server does not answer its cancel: a network that stalls the statement stalls both).</summary>
    private static readonly TimeSpan NotRunningFor = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _sent;

    /// <summary>Whether the cancellation was asked for.</summary>
    public bool Started => Volatile.Read(ref _sent) is not null;

    /// <summary>Starts cancelling the waiting statement (from a cancellation token's callback: never blocks).</summary>
    public void Start() => Volatile.Write(ref _sent, Task.Run(CancelAsync));

    /// <summary>Says that the waiting statement ended (answered or failed): nothing is left to cancel.</summary>
    public void Ended() => _ended.TrySetResult();

    /// <summary>Ends when the cancel was sent, or is no longer needed; at once when none was asked for.</summary>
    public Task SentAsync() => Volatile.Read(ref _sent) ?? Task.CompletedTask;

    private async Task CancelAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(Sql, connection) { Parameters = { new NpgsqlParameter { Value = sessionId } } };
            var asked = System.Diagnostics.Stopwatch.StartNew();
            while (!_ended.Task.IsCompleted && asked.Elapsed < NotRunningFor)
            {
                if (await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is true) return;
                // Not running yet: it is on its way (or just ended). Asked again the moment it may have begun.
                await Task.WhenAny(_ended.Task, Task.Delay(1)).ConfigureAwait(false);
            }
            if (_ended.Task.IsCompleted) return;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
        }
        if (_ended.Task.IsCompleted) return;
        try
        {
            waiting.Cancel();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }
}
