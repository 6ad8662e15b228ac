using TestLocks.Testing;

namespace Fx;

/// <summary>What every suite's LeasedParam tests do with the pool member they get as a parameter (LeasedMember).</summary>
internal static class LeaseProbe
{
    private static int s_holds;

    /// <summary>Journals "enter pool=MEMBER", holds the member until the harness says go (it waits until two processes
    /// hold one at once), then journals "exit pool=MEMBER".</summary>
    public static async Task HoldAsync(LeasedMember member)
    {
        var name = member.Name;
        if (name != Lease.Current(member.Pool)) throw new InvalidOperationException($"The parameter says {name}, Lease.Current says {Lease.Current(member.Pool)}.");
        var who = $"Param#{Interlocked.Increment(ref s_holds)}";
        var path = Environment.GetEnvironmentVariable(Journal.Variable)!;
        Journal.Append(path, who, "enter", "pool=" + name);
        await GoOn.WhenToldAsync();
        Journal.Append(path, who, "exit", "pool=" + name);
    }

    /// <summary>The member's name read on a thread that does not flow from the test (as a callback a library keeps would):
    /// the message of the TestLocksException it throws; null if it did not throw.</summary>
    public static string? ReadOutside(LeasedMember member)
    {
        string? message = null;
        // A thread of its own, started without the test's execution context (a thread-pool task could run inline, in it).
        var thread = new Thread(() =>
        {
            try
            {
                _ = member.Name;
            }
            catch (TestLocksException e)
            {
                message = e.Message;
            }
        });
        using (ExecutionContext.SuppressFlow()) thread.Start();
        thread.Join();
        return message;
    }

    /// <summary>Fails unless <paramref name="message"/> is the one TestLocks gives for a member read outside its test.</summary>
    public static void SaysOutside(string? message, LeasedMember member)
    {
        if (message is null || !message.Contains($"pool \"{member.Pool}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Reading the member outside its test gave: {message ?? "no exception"}");
        }
        if (member.ToString() != member.Name) throw new InvalidOperationException($"ToString() is {member} while the test holds {member.Name}.");
    }
}
