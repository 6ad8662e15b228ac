using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace TestLocks.Backends.Tests.Servers;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a server, that injects network faults into the connections it carries:
/// freeze (every connection stays open, but nothing is passed on in either direction until it thaws: a network stall,
/// a partition that drops packets rather than resetting), delay (every chunk is passed on that much later), cut (both
/// sides of every connection closed in order, FIN) and reset (both sides aborted, RST). New connections are accepted
/// all along, as a network that comes back would.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly List<TcpClient> _upstreams = [];
    private TaskCompletionSource _open = Open();
    private TaskCompletionSource _exchange = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _sent;

    public TcpProxy(int upstreamPort)
    {
        _upstream = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Latency added to every chunk, each way, from the moment it was read (0: none).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Completes when, after this call, bytes from a client have reached the server and then bytes from the
    /// server have reached the client: a statement and its answer went by.</summary>
    public Task NextExchange()
    {
        lock (_clients)
        {
            _sent = false;
            return _exchange.Task;
        }
    }

    /// <summary>Closes both sides of every open connection (FIN): the peer reads the end of the stream.</summary>
    public void Cut() => CloseAll(reset: false);

    /// <summary>Aborts both sides of every open connection (RST): the peer's next read or write fails.</summary>
    public void Reset() => CloseAll(reset: true);

    private void CloseAll(bool reset)
    {
        List<TcpClient> clients;
        lock (_clients)
        {
            clients = [.. _clients];
            _clients.Clear();
        }
        foreach (var c in clients)
        {
            try
            {
                // A connection its pump already closed has no socket left.
                if (c.Client is not { } socket) continue;
                if (reset) socket.LingerState = new LingerOption(true, 0);
                else socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            c.Close();
        }
    }

    /// <summary>
    /// The client side vanishes without a word, as a crashed host or a NAT that forgot the flow: the proxy's connections
    /// to the server are closed silently (TCP_REPAIR, which needs CAP_NET_ADMIN: no FIN, no RST), so the server hears
    /// nothing until it sends on the connection itself, and what it sends, a keepalive probe included, is answered with
    /// a reset. A frozen proxy's own kernel would answer the server's keepalive probes for the client; this does not.
    /// </summary>
    public void Vanish()
    {
        List<TcpClient> upstreams;
        lock (_clients)
        {
            upstreams = [.. _upstreams];
            _upstreams.Clear();
        }
        foreach (var server in upstreams)
        {
            if (server.Client is not { } socket) continue; // its pump closed it already
            int fd;
            try
            {
                fd = (int)socket.Handle;
                socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 19 /* TCP_REPAIR */, BitConverter.GetBytes(1));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
            {
                throw new InvalidOperationException("TcpProxy.Vanish needs CAP_NET_ADMIN (TCP_REPAIR): run the tests as root, or grant the capability.", e);
            }
            catch (ObjectDisposedException)
            {
                continue;
            }
            // Not Close: .NET shuts a socket with a pending read down first, and shutdown sends a FIN even in repair mode.
            // /dev/null takes the descriptor's place, which closes the socket (silently, in repair mode) and leaves .NET a
            // descriptor that its own later close and shutdown cannot harm.
            using var devNull = System.IO.File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
            if (Dup2((int)devNull.DangerousGetHandle(), fd) < 0) throw new InvalidOperationException($"TcpProxy.Vanish: replacing descriptor {fd} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static extern int Dup2(int from, int to);

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
                lock (_clients)
                {
                    _clients.AddRange([client, server]);
                    _upstreams.Add(server);
                }
                _ = PumpAsync(client.GetStream(), server.GetStream(), client, server, toServer: true);
                _ = PumpAsync(server.GetStream(), client.GetStream(), client, server, toServer: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, TcpClient a, TcpClient b, bool toServer)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                await Gate().WaitAsync(_stop.Token);
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                if (Delay is { Ticks: > 0 } delay) await Task.Delay(delay, _stop.Token);
                await Gate().WaitAsync(_stop.Token); // frozen while reading: hold the bytes
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                Passed(toServer);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        lock (_clients)
        {
            _clients.Remove(a);
            _clients.Remove(b);
        }
        a.Close();
        b.Close();
    }

    private void Passed(bool toServer)
    {
        TaskCompletionSource exchange;
        lock (_clients)
        {
            if (toServer || !_sent)
            {
                _sent |= toServer;
                return;
            }
            exchange = _exchange;
            _exchange = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _sent = false;
        }
        exchange.SetResult();
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
