// The scheduling benchmark's suite, compiled for xUnit v2, xUnit v3, NUnit, MSTest and TUnit (bench/sched.sh): K tests marked with
// the lock "sched-lock", which the benchmark holds in another process for T seconds, and U unmarked tests that work
// (sleep) BENCH_D_MS each, every test in a class of its own so that each framework may run any two at once. Each test
// journals when it starts and ends, and TestLocks' log journals when a marked test starts to wait, with
// Stopwatch timestamps (CLOCK_MONOTONIC, comparable across the processes of one machine).
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TestLocks;
#if NUNIT
using NUnit.Framework;
using TestLocks.NUnit;
#elif MSTEST
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestLocks.MSTest;
#elif TUNIT
using TestLocks.TUnit;
using TUnit.Core;
#else
using TestLocks.Xunit;
using Xunit;
#endif

#if NUNIT
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
#elif MSTEST
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.MethodLevel)]
#elif !XUNIT_V3 && !TUNIT
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
#endif

[assembly: Sched.JournaledLocks]

namespace Sched;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class JournaledLocksAttribute : TestLocks.Testing.LockFactoryAttribute
{
    public override LockFactory Create() => Journal.Factory();
}

public static class Journal
{
    private static readonly string? s_path = Environment.GetEnvironmentVariable("BENCH_JOURNAL");
    private static readonly int s_workMs = int.Parse(Environment.GetEnvironmentVariable("BENCH_D_MS") ?? "1000");

    public static void Write(string line)
    {
        if (s_path is null) return;
        lock (typeof(Journal)) File.AppendAllText(s_path, $"{Stopwatch.GetTimestamp()} {line}\n");
    }

    public static void Unmarked(string name)
    {
        Write($"start unmarked {name}");
        Thread.Sleep(s_workMs);
        Write($"end unmarked {name}");
    }

    public static void Marked(string name)
    {
        Write($"start marked {name}");
        Write($"end marked {name}");
    }

    /// <summary>The factory of the suite's test locks (<see cref="JournaledLocksAttribute"/>): it journals "wait NAME" when
    /// TestLocks starts to take a lock for a test (its log event 1, "Acquiring").</summary>
    public static LockFactory Factory() => s_path is not null ? new LockFactory(TestLocksSettings.Load(), new AcquireLog()) : LockFactory.Default;

    private sealed class AcquireLog : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 1 || state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
            if (values.FirstOrDefault(v => v.Key == "Name").Value is "sched-lock") Write($"wait marked {values.FirstOrDefault(v => v.Key == "Owner").Value}");
        }
    }
}

#if MSTEST
[TestClass]
#endif
public sealed class A_Marked1
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    [ExternalLock("sched-lock")]
    public void Test() => Journal.Marked("1");
}

#if MSTEST
[TestClass]
#endif
public sealed class A_Marked2
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    [ExternalLock("sched-lock")]
    public void Test() => Journal.Marked("2");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked1
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("1");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked2
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("2");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked3
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("3");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked4
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("4");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked5
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("5");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked6
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("6");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked7
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("7");
}

#if MSTEST
[TestClass]
#endif
public sealed class B_Unmarked8
{
#if NUNIT || TUNIT
    [Test]
#elif MSTEST
    [TestMethod]
#else
    [Fact]
#endif
    public void Test() => Journal.Unmarked("8");
}
