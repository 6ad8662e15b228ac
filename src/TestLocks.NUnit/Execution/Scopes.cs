using System.Runtime.CompilerServices;
using NUnit.Framework.Interfaces;
using TestLocks.Fixtures;
using TestLocks.Adapters;

namespace TestLocks.NUnit.Execution;

/// <summary>
/// What TestLocks keeps for one NUnit test or fixture while it runs: the cleanups registered through
/// <see cref="TestLocksFixture"/>, and, for a fixture, the locks it holds from OneTimeSetUp to OneTimeTearDown.
/// Keyed by NUnit's test object, so a fixture shared by parallel tests keeps each test's cleanups apart.
/// </summary>
internal static class Scopes
{
    private static readonly ConditionalWeakTable<ITest, Scope> s_scopes = new();

    /// <summary>The scope of <paramref name="test"/>, created on first use.</summary>
    public static Scope Of(ITest test) => s_scopes.GetValue(test, static _ => new Scope());

    /// <summary>The scope of <paramref name="test"/> if it has one, removed from the table.</summary>
    public static Scope? Take(ITest test) => s_scopes.TryGetValue(test, out var scope) && s_scopes.Remove(test) ? scope : null;

    /// <summary>The fixtures (and set-up fixtures) enclosing <paramref name="test"/> that hold locks, innermost first;
    /// null when none does (most tests: nothing is allocated).</summary>
    public static List<LockedTest>? Around(ITest test)
    {
        List<LockedTest>? around = null;
        for (var parent = test.Parent; parent is not null; parent = parent.Parent)
        {
            if (s_scopes.TryGetValue(parent, out var scope) && scope.Locks is { } locks) (around ??= []).Add(locks);
        }
        return around;
    }

    /// <summary>One test's or fixture's state.</summary>
    internal sealed class Scope
    {
        /// <summary>Cleanups, run last-in first-out by the core fixture model.</summary>
        public CleanupList Cleanups { get; } = new();

        /// <summary>The fixture-wide locks, while a fixture holds them.</summary>
        public LockedTest? Locks { get; set; }
    }

    /// <summary>A core <see cref="Fixture"/> used only for its cleanup list.</summary>
    internal sealed class CleanupList : Fixture;
}
