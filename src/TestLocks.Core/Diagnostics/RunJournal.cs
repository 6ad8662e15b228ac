using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TestLocks.Diagnostics;

/// <summary>
/// The run journal (<see cref="TestLocksSettings.EventsPath"/>): each process appends one JSON line per lock event to a
/// file of its own in the events folder, <c>HOST-PID-STARTTIME.jsonl</c>, which <c>testlocks report</c> reads with the
/// files of every other process and shard. A line is one <c>write(2)</c> in append mode, so a killed process leaves
/// every event it had. Diagnostics only: a folder that cannot be written is reported once in the log and the journal
/// stops; the acquire goes on.
/// </summary>
/// <remarks>Lines: <c>{"time":"2026-11-30T10:04:05.1234567Z","event":"acquire","host":"ci-3","pid":42,"test":"Tests.Resize",
/// "lock":"tempest-az","mode":"write","waited":0.012}</c>; events are <c>process</c> (the first line: the command line, and
/// <c>project</c>, the test assembly's name),
/// <c>wait</c>, <c>acquire</c> (<c>waited</c> seconds), <c>release</c> (<c>held</c> seconds), <c>timeout</c> and
/// <c>abandon</c> (a wait cancelled or failed; both with <c>waited</c>, and <c>holder</c> when known).</remarks>
#pragma warning disable CA1001 // one journal per folder for the life of the process: its file closes when the process ends
internal sealed class RunJournal
#pragma warning restore CA1001
{
    private static readonly ConcurrentDictionary<string, RunJournal> s_journals = new(StringComparer.Ordinal);
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly JsonEncodedText s_time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText s_event = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText s_host = JsonEncodedText.Encode("host");
    private static readonly JsonEncodedText s_hostValue = JsonEncodedText.Encode(ThisProcess.Host, s_options.Encoder);
    private static readonly JsonEncodedText s_pid = JsonEncodedText.Encode("pid");
    private static readonly JsonEncodedText s_test = JsonEncodedText.Encode("test");
    private static readonly JsonEncodedText s_lock = JsonEncodedText.Encode("lock");
    private static readonly JsonEncodedText s_mode = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText s_read = JsonEncodedText.Encode("read");
    private static readonly JsonEncodedText s_write = JsonEncodedText.Encode("write");

    private readonly string _folder;
    private readonly LockLog _log;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;
    private FileStream? _file;
    private bool _failed;

    private RunJournal(string folder, LockLog log)
    {
        _folder = folder;
        _log = log;
        _json = new Utf8JsonWriter(_buffer, s_options);
    }

    /// <summary>The journal of <paramref name="folder"/> in this process (one file per process and folder).</summary>
    public static RunJournal For(string folder, LockLog log) => s_journals.GetOrAdd(folder, static (f, l) => new RunJournal(f, l), log);

    /// <summary>The file this process writes, once it has written (for tests and messages).</summary>
    public string? FilePath => _file?.Name;

    /// <summary>Appends one event. <paramref name="seconds"/> is written as <c>waited</c> or <c>held</c> (release);
    /// <paramref name="at"/> is when it happened, when that was before now (the one wait of a counted acquire).</summary>
    public void Write(string kind, string lockName, LockMode mode, string owner, TimeSpan? seconds = null, string? holder = null, DateTime? at = null)
    {
        var now = at ?? DateTime.UtcNow;
        lock (_buffer)
        {
            if (_failed) return;
            try
            {
                _file ??= Open(DateTime.UtcNow);
                _buffer.ResetWrittenCount();
                _json.Reset(_buffer);
                Start(now, kind);
                _json.WriteString(s_test, owner);
                _json.WriteString(s_lock, lockName);
                _json.WriteString(s_mode, mode == LockMode.Read ? s_read : s_write);
                if (seconds is { } s) _json.WriteNumber(kind == "release" ? "held" : "waited", Math.Round(s.TotalSeconds, 6));
                if (holder is not null) _json.WriteString("holder", holder);
                _json.WriteEndObject();
                _json.Flush();
                _buffer.Write("\n"u8);
                _file.Write(_buffer.WrittenSpan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                _failed = true;
                _log.JournalFailed(_folder, e);
            }
        }
    }

    private void Start(DateTime now, string kind)
    {
        _json.WriteStartObject();
        _json.WriteString(s_time, now);
        _json.WriteString(s_event, kind);
        _json.WriteString(s_host, s_hostValue);
        _json.WriteNumber(s_pid, ThisProcess.Id);
    }

    private FileStream Open(DateTime now)
    {
        Directory.CreateDirectory(_folder);
        var host = string.Concat(ThisProcess.Host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_'));
        var name = $"{host}-{ThisProcess.Id.ToString(CultureInfo.InvariantCulture)}-{now.ToString("yyyyMMdd'T'HHmmssfffffff", CultureInfo.InvariantCulture)}.jsonl";
        var file = new FileStream(Path.Join(_folder, name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        Start(now, "process");
        var command = string.Join(' ', Environment.GetCommandLineArgs());
        _json.WriteString("command", command.Length > 500 ? command[..500] + "..." : command);
        if (TestProject.Name() is { } project) _json.WriteString("project", project);
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        file.Write(_buffer.WrittenSpan);
        return file;
    }
}
