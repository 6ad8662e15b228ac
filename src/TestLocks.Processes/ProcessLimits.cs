using System.Globalization;

namespace TestLocks.Processes;

/// <summary>
/// Resource limits the kernel enforces on a command (oslo's <c>ProcessLimits</c>), applied with util-linux
/// <c>prlimit</c> before the command starts; each limit sets both the soft and the hard value. Null leaves a limit as
/// inherited. Sizes are in bytes. A command that exceeds a limit fails the way the kernel makes it: an allocation or
/// <c>open</c> fails, or the process is killed (CPU time: SIGXCPU/SIGKILL; file size: SIGXFSZ).
/// </summary>
public sealed record ProcessLimits
{
    /// <summary>Largest virtual address space, in bytes (<c>RLIMIT_AS</c>, oslo's <c>address_space</c>).</summary>
    public long? AddressSpace { get; init => field = Size(value, nameof(AddressSpace)); }

    /// <summary>Largest core dump, in bytes; 0 disables core dumps (<c>RLIMIT_CORE</c>, oslo's <c>core_file_size</c>).</summary>
    public long? CoreFileSize { get; init => field = Size(value, nameof(CoreFileSize)); }

    /// <summary>CPU time, in whole seconds of at least 1 s (<c>RLIMIT_CPU</c>, oslo's <c>cpu_time</c>).</summary>
    public TimeSpan? CpuTime
    {
        get;
        init
        {
            if (value is { } time && (time < TimeSpan.FromSeconds(1) || time.Ticks % TimeSpan.TicksPerSecond != 0))
            {
                throw new ArgumentOutOfRangeException(nameof(CpuTime), time,
                    $"ProcessLimits.CpuTime must be a whole number of seconds, at least 1 s (it was {time}); the kernel counts CPU time in seconds. Use for example TimeSpan.FromSeconds(10).");
            }
            field = value;
        }
    }

    /// <summary>Largest data segment (heap), in bytes (<c>RLIMIT_DATA</c>, oslo's <c>data_size</c>).</summary>
    public long? DataSize { get; init => field = Size(value, nameof(DataSize)); }

    /// <summary>Largest file the command may write, in bytes (<c>RLIMIT_FSIZE</c>, oslo's <c>file_size</c>).</summary>
    public long? FileSize { get; init => field = Size(value, nameof(FileSize)); }

    /// <summary>Most memory locked in RAM, in bytes (<c>RLIMIT_MEMLOCK</c>, oslo's <c>memory_locked</c>).</summary>
    public long? MemoryLocked { get; init => field = Size(value, nameof(MemoryLocked)); }

    /// <summary>Most open file descriptors (<c>RLIMIT_NOFILE</c>, oslo's <c>number_files</c>).</summary>
    public long? NumberOfFiles { get; init => field = Size(value, nameof(NumberOfFiles)); }

    /// <summary>Most processes of the user (<c>RLIMIT_NPROC</c>, oslo's <c>number_processes</c>). The kernel does not
    /// apply it to root.</summary>
    public long? NumberOfProcesses { get; init => field = Size(value, nameof(NumberOfProcesses)); }

    /// <summary>Largest resident set, in bytes (<c>RLIMIT_RSS</c>, oslo's <c>resident_set_size</c>). Linux records it
    /// but has not enforced it since 2.6; use <see cref="AddressSpace"/> to cap memory.</summary>
    public long? ResidentSetSize { get; init => field = Size(value, nameof(ResidentSetSize)); }

    /// <summary>Largest stack, in bytes (<c>RLIMIT_STACK</c>, oslo's <c>stack_size</c>).</summary>
    public long? StackSize { get; init => field = Size(value, nameof(StackSize)); }

    /// <summary>The <c>prlimit</c> options for the limits that are set, in oslo's order.</summary>
    internal IReadOnlyList<string> ToPrlimitArguments()
    {
        var arguments = new List<string>();
        void Add(string option, long? value)
        {
            if (value is { } v) arguments.Add(string.Create(CultureInfo.InvariantCulture, $"{option}={v}"));
        }
        Add("--as", AddressSpace);
        Add("--core", CoreFileSize);
        Add("--cpu", CpuTime is { } cpu ? (long)cpu.TotalSeconds : null);
        Add("--data", DataSize);
        Add("--fsize", FileSize);
        Add("--memlock", MemoryLocked);
        Add("--nofile", NumberOfFiles);
        Add("--nproc", NumberOfProcesses);
        Add("--rss", ResidentSetSize);
        Add("--stack", StackSize);
        return arguments;
    }

    private static long? Size(long? value, string name) => value is < 0
        ? throw new ArgumentOutOfRangeException(name, value,
            $"ProcessLimits.{name} must be 0 or more (it was {value}). Leave it null to keep the inherited limit.")
        : value;
}
