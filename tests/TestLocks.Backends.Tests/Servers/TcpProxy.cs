using System.Net;
using System.Net.Sockets;

namespace TestLocks.Backends.Tests.Servers;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a server, that can freeze: every connection stays open, but nothing is passed
/// on in either direction until it thaws (a network stall, a partition that drops packets rather than resetting).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private TaskCompletionSource _open = Open();

    public TcpProxy(int upstreamPort)
    {
        _upstream = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Stops passing bytes on; what was read is held until <see cref="Thaw"/>.</summary>
    public void Freeze()
    {
        lock (_clients) if (_open.Task.IsCompleted) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Thaw()
    {
        lock (_clients) _open.TrySetResult();
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private Task Gate()
    {
        lock (_clients) return _open.Task;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _upstream, _stop.Token);
                lock (_clients) _clients.AddRange([client, server]);
                _ = PumpAsync(client.GetStream(), server.GetStream(), client, server);
                _ = PumpAsync(server.GetStream(), client.GetStream(), client, server);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, TcpClient a, TcpClient b)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                await Gate().WaitAsync(_stop.Token);
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                await Gate().WaitAsync(_stop.Token); // frozen while reading: hold the bytes
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        a.Close();
        b.Close();
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients) _clients.ForEach(c => c.Close());
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
