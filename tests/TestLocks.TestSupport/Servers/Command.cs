using System.Diagnostics;

namespace TestLocks.TestSupport.Servers;

/// <summary>Runs a program to its end, as the postgres user when asked and we are root, and fails with its output.</summary>
internal static class Command
{
    public static bool IsRoot { get; } = Environment.UserName == "root";

    public static async Task RunAsync(string file, IEnumerable<string> args, string? asUser = null)
    {
        var info = new ProcessStartInfo(asUser is not null && IsRoot ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null && IsRoot)
        {
            foreach (var a in new[] { "-u", asUser, "--", file }) info.ArgumentList.Add(a);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>A TCP port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
