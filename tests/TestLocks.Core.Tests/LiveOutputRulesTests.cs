using TestLocks.Diagnostics;
using TestLocks.Adapters.Live;

namespace TestLocks.Core.Tests;

/// <summary>The rules behind the live lines and what they show: which command is <c>dotnet test</c>, which process runs
/// its own tests, and what counts as visible text. The routes themselves are tested through real runners
/// (TestLocks.Xunit.v3.Tests: LiveWaitTests, StalledOutputTests).</summary>
public sealed class LiveOutputRulesTests
{
    [Theory]
    [InlineData(true, "dotnet", "test")]
    [InlineData(true, "/usr/share/dotnet/dotnet", "test", "x.csproj")]
    [InlineData(true, "dotnet", "-d", "test")]
    [InlineData(true, "dotnet", "--diagnostics", "test", "--no-build")]
    [InlineData(true, "dotnet", "--roll-forward", "Major", "test")]
    [InlineData(false, "dotnet", "build", "test")]
    [InlineData(false, "dotnet", "-d", "run", "test")]
    [InlineData(false, "dotnet", "--roll-forward", "test")]
    [InlineData(false, "dotnet", "-d")]
    [InlineData(false, "mydotnet", "test")]
    public void A_command_line_is_dotnet_test_with_dotnet_options_before_the_verb(bool expected, params string[] argv) =>
        Assert.Equal(expected, DotnetTest.IsDotnetTest(argv));

    [Theory]
    [InlineData(true, "/src/MyTests/bin/MyTests.dll")]
    [InlineData(true, "/src/MyTests/bin/MyTests.dll", "-class", "A")]
    [InlineData(false, "/src/MyTests/bin/testhost.dll", "--port", "1")]
    [InlineData(false, "/src/MyTests/bin/MyTests.dll", "--dotnet-test-pipe", "p")]
    [InlineData(false, "/src/MyTests/bin/MyTests.dll", "--server", "--client-port", "1")]
    [InlineData(false, "/src/MyTests/bin/MyTests.dll", "-automated", "sync")]
    public void A_test_application_runs_its_own_tests_unless_a_runner_or_an_IDE_runs_it(bool expected, params string[] argv) =>
        Assert.Equal(expected, DotnetTest.RunsItself(argv));

    [Theory]
    [InlineData("Tests.Resize(size: 3)", "Tests.Resize(size: 3)")]
    [InlineData("Тест 🔒 可用区", "Тест 🔒 可用区")]
    [InlineData("a\u001b[2Jb", "a\\x1b[2Jb")]
    [InlineData("bell\u0007 del\u007f c1\u009b", "bell\\x07 del\\x7f c1\\x9b")]
    [InlineData("line\r\nbreak\ttab", "line\\x0d\\x0abreak\\x09tab")]
    [InlineData("rtl\u202eexe.gnp lrm\u200e sep\u2028", "rtl\\u202eexe.gnp lrm\\u200e sep\\u2028")]
    public void Text_from_outside_is_shown_as_visible_text(string text, string shown) =>
        Assert.Equal(shown, Printable.Line(text));

    [Fact]
    public void A_holder_keeps_visible_text_whether_built_or_copied()
    {
        var holder = new LockHolder(42, "ci\u001b-3", "Evil\u0007", null, LockMode.Write, "note\u202e");
        var copy = holder with { Owner = "x\u001b]0;t\u0007" };

        Assert.Equal(("ci\\x1b-3", "Evil\\x07", "note\\u202e"), (holder.Host, holder.Owner, holder.Note));
        Assert.Equal("x\\x1b]0;t\\x07", copy.Owner);
        Assert.Equal("pid 42 on ci\\x1b-3 (x\\x1b]0;t\\x07) [note\\u202e]", copy.ToString());
        // A lone surrogate (not through InlineData, whose serialization turns it into U+FFFD).
        Assert.Equal("lone \\ud800 high", Printable.Line("lone \uD800 high"));
    }
}
