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
var statusSample = new Option<double>("--sample") { Description = "Seconds over which a local holder's CPU use is measured (0: do not measure).", DefaultValueFactory = _ => 0.5 };
var status = new Command("status", "Every lock: free or held; the holder's pid, host, test, mode and since when; for a local holder, whether it is alive and its recent CPU use; waiters blocked in the kernel.")
{
    statusNames, statusJson, statusSample,
};
status.SetAction(parse => StatusCommand.Run(parse.GetValue(statusNames) ?? [], parse.GetValue(statusJson), parse.GetValue(statusSample), Console.Out, Console.Error));
root.Subcommands.Add(status);

var runLocks = new Option<string[]>("--lock", "-l") { Description = "A lock to hold while the command runs (repeat for more; taken in ordinal order).", Arity = ArgumentArity.ZeroOrMore };
var runRead = new Option<bool>("--read") { Description = "Take the locks for reading (shared with other readers)." };
var runTimeout = new Option<double?>("--timeout") { Description = "Seconds to wait for the locks before giving up (exit 75); default: lock_timeout." };
var runTemp = new Option<bool>("--temp-lock-path") { Description = "oslo's lockutils-wrapper: give the command a new temporary lock_path (OSLO_LOCK_PATH, TESTLOCKS_LOCK_PATH), removed when it ends." };
var runSlots = new Option<int?>("--slots") { Description = "Make each --lock a counted lock with this many slots: at most that many commands (or tests with Slots =) hold it at once; the command gets the slot in TESTLOCKS_SLOT_<NAME>." };
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

// No Ctrl+C handling of System.CommandLine's own: `run` forwards signals to its command itself.
return root.Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
