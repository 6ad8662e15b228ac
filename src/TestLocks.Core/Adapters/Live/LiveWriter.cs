using System.Text;
using TestLocks.Diagnostics;

namespace TestLocks.Adapters.Live;

/// <summary>
/// Writes live lines to one output from a thread of its own, so that no acquire, warn_after timer or release ever waits
/// for a reader: a full pipe (<c>dotnet test | less</c>, a CI agent that stopped reading) or a stopped terminal (Ctrl+S)
/// holds up this writer alone. A caller only puts its line in a queue of at most <see cref="Capacity"/> lines; when the
/// queue is full the oldest line is dropped and counted, and once the output takes lines again the writer says how
/// many were dropped ("[TestLocks] 12 live lines were dropped here ..."), before the newer lines. At exit it gets
/// <see cref="ExitGrace"/> to write what it holds; an output that still takes nothing then loses it (the test results
/// keep every line).
/// </summary>
internal sealed class LiveWriter
{
    /// <summary>How many lines wait for the output at most.</summary>
    public const int Capacity = 64;

    /// <summary>How long the process's exit waits, at most, for the lines still queued.</summary>
    public static readonly TimeSpan ExitGrace = TimeSpan.FromMilliseconds(500);

    private readonly LiveOutput _output;
    private readonly Func<string, byte[]> _format;
    private readonly Queue<byte[]> _queue = new();
    private Thread? _thread;
    private int _dropped;
    private long _droppedInAll;
    private bool _writing;
    private bool _gone;

    /// <param name="output">Where the lines go.</param>
    /// <param name="format">A line as the bytes of one write to <paramref name="output"/>.</param>
    public LiveWriter(LiveOutput output, Func<string, byte[]> format)
    {
        _output = output;
        _format = format;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush(ExitGrace);
    }

    /// <summary>How many lines were dropped so far because the output took nothing.</summary>
    public long Dropped
    {
        get { lock (_queue) return _droppedInAll; }
    }

    /// <summary>Queues <paramref name="line"/> and returns at once.</summary>
    public void WriteLine(string line)
    {
        var bytes = _format(line);
        lock (_queue)
        {
            if (_gone) return;
            if (_queue.Count == Capacity)
            {
                _queue.Dequeue();
                _dropped++;
                _droppedInAll++;
            }
            _queue.Enqueue(bytes);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "TestLocks live lines" };
                _thread.Start();
            }
            Monitor.PulseAll(_queue);
        }
    }

    /// <summary>Waits until every queued line is written, the output is gone, or <paramref name="timeout"/> is up.</summary>
    public bool Flush(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_queue)
        {
            while (!_gone && (_queue.Count > 0 || _writing || _dropped > 0))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_queue, left)) return false;
            }
            return true;
        }
    }

    private void Run()
    {
        while (true)
        {
            byte[] bytes;
            lock (_queue)
            {
                while (_queue.Count == 0 && _dropped == 0) Monitor.Wait(_queue);
                if (_dropped > 0)
                {
                    // Said where the lines are missing: after the line that was being written, before the newer ones.
                    bytes = _format(DroppedLine(_dropped));
                    _dropped = 0;
                }
                else
                {
                    bytes = _queue.Dequeue();
                }
                _writing = true;
            }
            var written = WriteAll(bytes);
            lock (_queue)
            {
                _writing = false;
                if (!written)
                {
                    _gone = true;
                    _queue.Clear();
                    _dropped = 0;
                }
                Monitor.PulseAll(_queue);
            }
            if (!written) return;
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>, waiting on this thread while the output takes nothing; false
    /// when the output is gone.</summary>
    private bool WriteAll(byte[] bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            switch (_output.Write(bytes.AsSpan(offset), out var written))
            {
                case LiveOutput.Result.Written:
                    offset += written;
                    break;
                case LiveOutput.Result.WouldBlock:
                    _output.WaitWritable();
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    internal static string DroppedLine(int count) =>
        $"[TestLocks] {count} live {(count == 1 ? "line was" : "lines were")} dropped here: this output took nothing for a while " +
        "(a full pipe, or a stopped terminal). The test results keep every line.";

    /// <summary>A line as UTF-8 with <paramref name="before"/> and <paramref name="after"/>, on one line (its own line
    /// breaks become spaces), cut to at most <paramref name="maxBytes"/> bytes on a character boundary.</summary>
    internal static byte[] Bytes(string line, string before, string after, int maxBytes = int.MaxValue)
    {
        var bytes = Encoding.UTF8.GetBytes(before + Printable.Line(line) + after);
        if (bytes.Length <= maxBytes) return bytes;
        var tail = Encoding.UTF8.GetBytes("..." + after);
        var cut = maxBytes - tail.Length;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) cut--; // not inside a UTF-8 character
        return [.. bytes.AsSpan(0, cut), .. tail];
    }
}
