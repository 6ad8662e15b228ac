using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Renci.SshNet;

namespace TestLocks.Processes.Tests.Support;

/// <summary>
/// A real OpenSSH server (Debian's openssh-server) on 127.0.0.1 and a free port, with a host key and a user key
/// generated for this run in a temporary directory; it accepts the current user with that key only, and runs remote
/// commands with an empty HOME. Started once for the tests that need it and killed at the end.
/// </summary>
public sealed class SshServer : IAsyncLifetime
{
    private const string Sshd = "/usr/sbin/sshd";
    private readonly TempDirectory _directory = new();
    private Process? _sshd;

    public const string Host = "127.0.0.1";

    public int Port { get; private set; }

    public string User { get; } = Environment.UserName;

    public string PrivateKeyPath => _directory.File("user_ed25519");

    /// <summary>One client connected with the generated user key, shared by the tests (they run one at a time).</summary>
    public SshClient Client { get; private set; } = null!;

    /// <summary>A new client for the user and key, not connected yet.</summary>
    public SshClient NewClient() => new(Host, Port, User, new PrivateKeyFile(PrivateKeyPath));

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Sshd))
        {
            throw new InvalidOperationException($"{Sshd} is missing: install openssh-server (build/setup.sh does it).");
        }
        var ct = TestContext.Current.CancellationToken;
        await ProcessUtils.ExecuteAsync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", _directory.File("host_ed25519")], cancellationToken: ct);
        await ProcessUtils.ExecuteAsync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", PrivateKeyPath], cancellationToken: ct);
        File.Copy(PrivateKeyPath + ".pub", _directory.File("authorized_keys"));
        if (Environment.IsPrivilegedProcess)
        {
            Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation directory, missing until the service first ran
        }

        // Remote commands run with this empty HOME, so the user's shell does not source the machine's ~/.bashrc
        // (bash does for commands sent over ssh), which can take seconds and is none of the tests' business.
        var home = Directory.CreateDirectory(_directory.File("home")).FullName;
        Port = FreePort();
        var config = _directory.File("sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {Port}
            ListenAddress {Host}
            HostKey {_directory.File("host_ed25519")}
            PidFile {_directory.File("sshd.pid")}
            AuthorizedKeysFile {_directory.File("authorized_keys")}
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            UseDNS no
            SetEnv HOME={home}
            StrictModes no
            LogLevel INFO

            """, ct);

        var start = new ProcessStartInfo(Sshd) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-D", "-e", "-f", config }) start.ArgumentList.Add(argument);
        _sshd = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start.");
        _sshd.StandardOutput.Close();

        // sshd says on stderr when it listens; wait for that line, not for a fixed time.
        var log = new List<string>();
        while (await _sshd.StandardError.ReadLineAsync(ct) is { } line)
        {
            log.Add(line);
            if (line.Contains($"Server listening on {Host} port {Port}", StringComparison.Ordinal))
            {
                _ = _sshd.StandardError.ReadToEndAsync(CancellationToken.None); // keep draining
                Client = NewClient();
                await Client.ConnectAsync(ct);
                return;
            }
        }
        throw new InvalidOperationException($"sshd exited before listening:\n{string.Join('\n', log)}");
    }

    public ValueTask DisposeAsync()
    {
        // Kill sshd with every session it still runs before the client disconnects: a session whose client is gone
        // would leave its command running outside sshd's tree.
        if (_sshd is { } sshd)
        {
            sshd.Kill(entireProcessTree: true);
            sshd.WaitForExit();
            sshd.Dispose();
        }
        Client?.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
