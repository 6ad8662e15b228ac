// The testlocks command (package TestLocks.Tool): status, run and report. It reads the configuration the library
// reads (the INI file, the environment, backend_url), so it sees the locks the tests see.
using System.CommandLine;
using System.Globalization;
using TestLocks.Tool.Commands;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var root = new RootCommand("testlocks: see and use TestLocks locks (lock files shared with Python oslo.concurrency, or a backend_url).");

var statusNames = new Argument<string[]>("NAME") { Arity = ArgumentArity.ZeroOrMore, Description = "Locks to show (file names in lock_path, prefix included); default: every lock in lock_path." };
var statusJson = new Option<bool>("--json") { Description = "Print one JSON array instead of text." };
var statusSample = new Option<double>("--sample") { Description = "Seconds over which a local holder's CPU use is measured (0: do not measure).", DefaultValueFactory = _ => 0.5, CustomParser = r => Seconds(r, "--sample 0.5") ?? 0 };
var status = new Command("status", "Every lock: free or held; the holder's pid, host, test, mode and since when; for a local holder, whether it is alive and its recent CPU use; waiters blocked in the kernel.")
{
    statusNames, statusJson, statusSample,
};
status.SetAction(parse => StatusCommand.Run(parse.GetValue(statusNames) ?? [], parse.GetValue(statusJson), parse.GetValue(statusSample), Console.Out, Console.Error));
root.Subcommands.Add(status);

var runLocks = new Option<string[]>("--lock", "-l") { Description = "A lock to hold while the command runs (repeat for more; taken in ordinal order).", Arity = ArgumentArity.ZeroOrMore };
var runRead = new Option<bool>("--read") { Description = "Take the locks for reading (shared with other readers)." };
var runTimeout = new Option<double?>("--timeout") { Description = "Seconds to wait for the locks before giving up (exit 75); default: lock_timeout.", CustomParser = r => Seconds(r, "--timeout 300") };
var runTemp = new Option<bool>("--temp-lock-path") { Description = "oslo's lockutils-wrapper: give the command a new temporary lock_path (OSLO_LOCK_PATH, TESTLOCKS_LOCK_PATH), removed when it ends." };
var runSlots = new Option<int?>("--slots") { Description = "Make each --lock a counted lock with this many slots: at most that many commands (or tests with Slots =) hold it at once; the command gets the slot in TESTLOCKS_SLOT_<NAME>.", CustomParser = SlotCount };
var runLeases = new Option<string[]>("--lease") { Description = "A pool of [testlocks.pools] to lease one free member of while the command runs (repeat for more pools); the command gets it in TESTLOCKS_LEASE_<POOL> (for example TESTLOCKS_LEASE_DATABASE=db2).", Arity = ArgumentArity.ZeroOrMore };
var runCommand = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore, Description = "The command and its arguments, after --." };
var run = new Command("run", "Runs a command under locks; its exit code is testlocks' exit code, signals reach it.")
{
    runLocks, runRead, runTimeout, runTemp, runSlots, runLeases, runCommand,
};
run.SetAction(parse => RunCommand.Run(new RunRequest(
    parse.GetValue(runLocks) ?? [], parse.GetValue(runRead), parse.GetValue(runTimeout), parse.GetValue(runTemp), parse.GetValue(runCommand) ?? [])
    {
        Slots = parse.GetValue(runSlots),
        Leases = parse.GetValue(runLeases) ?? [],
    },
    Console.Error));
root.Subcommands.Add(run);

var reportDirs = new Argument<string[]>("DIR") { Arity = ArgumentArity.OneOrMore, Description = "Events folders (events = PATH, TESTLOCKS_EVENTS) of one run: one per shard or machine, or one they share." };
var reportOutput = new Option<string?>("--output", "-o") { Description = "The file to write, - for standard output (default: testlocks-report.html or testlocks-trace.json in the first folder; markdown: standard output)." };
var reportTitle = new Option<string?>("--title") { Description = "The page's title." };
var reportFormat = new Option<string>("--format", "-f") { Description = "html: a self-contained timeline page; trace: Chrome Trace Event JSON for ui.perfetto.dev or chrome://tracing; markdown: a short summary for a CI job's page ($GITHUB_STEP_SUMMARY).", DefaultValueFactory = _ => "html" };
reportFormat.AcceptOnlyFromAmong([.. ReportCommand.Formats.Keys]);
var report = new Command("report", "Turns the run journal of every process and shard into one HTML timeline, a Perfetto trace, or a Markdown summary.")
{
    reportDirs, reportOutput, reportTitle, reportFormat,
};
report.SetAction(parse => ReportCommand.Run(parse.GetValue(reportDirs) ?? [], parse.GetValue(reportOutput), parse.GetValue(reportTitle),
    parse.GetValue(reportFormat) ?? "html", Console.Out, Console.Error));
root.Subcommands.Add(report);

var parsed = root.Parse(args);
if (parsed.Errors.Count == 0 && parsed.CommandResult.Command == run && StrayOption(args, parsed.GetValue(runCommand) ?? []) is { } stray)
{
    // `run --lock db --lockk db -- CMD` would run "--lockk" as the command (exit 127, far from the typo).
    Console.Error.WriteLine($"testlocks: '{stray}' is not an option of testlocks run. The command goes after --: testlocks run --lock NAME -- COMMAND.");
    Console.Error.WriteLine("See 'testlocks run --help'.");
    return 2;
}
if (parsed.Errors.Count > 0)
{
    // A mistyped option is a usage error (exit 2), never an exit code `run` could have passed through from its command,
    // and the line names what was wrong rather than burying it above the whole help text.
    foreach (var problem in parsed.Errors) Console.Error.WriteLine($"testlocks: {problem.Message}");
    var command = parsed.CommandResult.Command is RootCommand ? "testlocks" : $"testlocks {parsed.CommandResult.Command.Name}";
    Console.Error.WriteLine($"See '{command} --help'.");
    return 2;
}
// No Ctrl+C handling of System.CommandLine's own: `run` forwards signals to its command itself.
return parsed.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });

// A word of run's COMMAND that sits before "--", or a COMMAND that starts with "-": a mistyped option, not a command.
static string? StrayOption(string[] args, string[] command)
{
    if (command.Length == 0) return null;
    var dashes = Array.IndexOf(args, "--");
    if (dashes < 0) return command[0].StartsWith('-') ? command[0] : null;
    return command.Length > args.Length - dashes - 1 ? command[0] : null;
}

// "--timeout abc": a number of seconds, said in the option's own words (System.CommandLine would name a CLR type).
static double? Seconds(System.CommandLine.Parsing.ArgumentResult result, string example)
{
    var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= int.MaxValue) return seconds;
    var option = ((System.CommandLine.Parsing.OptionResult)result.Parent!).Option.Name;
    result.AddError($"{option} {text} is not a number of seconds; give 0 or more, for example {example}.");
    return null;
}

static int? SlotCount(System.CommandLine.Parsing.ArgumentResult result)
{
    var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var slots) && slots >= 1 && slots <= TestLocks.CountedLock.MaxSlots) return slots;
    result.AddError($"--slots {text} is not a slot count; give a whole number from 1 to {TestLocks.CountedLock.MaxSlots}, for example --slots 3.");
    return null;
}
