using TestLocks.Core.Tests.Infrastructure;

namespace TestLocks.Core.Tests;

/// <summary>The public look at locks without taking them (<see cref="LockInspector"/>, what <c>testlocks status</c> reads)
/// and the one wait-line format (<see cref="WaitLine"/>), against a real holder in another process.</summary>
public sealed class LockInspectorTests
{
    [Fact]
    public async Task The_inspector_names_the_lock_file_and_the_holder_in_another_process_with_its_test_and_mode()
    {
        using var dir = new LockDir(prefix: "tempest-");
        var name = LockDir.UniqueName("inspect");
        await using var inspector = new LockInspector(dir.Settings);
        var fullName = inspector.FullName(name);
        Assert.Equal("tempest-" + name, fullName);
        Assert.Equal(dir.Path, inspector.LockPath);
        Assert.StartsWith($"lock_path {dir.Path} (", inspector.Where, StringComparison.Ordinal);
        Assert.Equal(dir.File(fullName), inspector.Locate(fullName));
        Assert.Null(inspector.GetHolder(fullName)); // no lock file yet: free

        await using var holder = HelperProcess.StartHelper(dir.Environment(), "hold", name, "write", "Compute.test_resize");
        var pid = int.Parse((await holder.WaitForLineAsync("HELD")).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        var held = await inspector.GetHolderAsync(fullName, TestContext.Current.CancellationToken);
        Assert.NotNull(held);
        Assert.Equal(pid, held.ProcessId);
        Assert.Equal(LockMode.Write, held.Mode);
        Assert.Contains("Compute.test_resize", held.Owner, StringComparison.Ordinal);
        var activity = Assert.Single(LockInspector.SampleActivity([held], TimeSpan.Zero));
        Assert.True(activity?.Alive);

        await holder.SendAsync("release");
        await holder.WaitForLineAsync("RELEASED");
        Assert.Null(inspector.GetHolder(fullName));
    }

    [Fact]
    public void A_name_that_cannot_be_a_lock_file_is_refused_with_the_reason()
    {
        using var dir = new LockDir();
        using var inspector = new LockInspector(dir.Settings);
        var e = Assert.Throws<ArgumentException>(() => inspector.FullName(""));
        Assert.Contains("cannot be empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wait_line_names_the_waiter_and_the_wait_with_visible_text_only()
    {
        var notice = new LockWaitNotice("tempest-az", "/tmp/l/tempest-az", new LockHolder(42, "ci-3", "Evil\u001b[2JTest", null, LockMode.Write), TimeSpan.FromSeconds(30));

        var line = WaitLine.For("Compute.test_resize", notice);

        Assert.StartsWith("[TestLocks] Compute.test_resize: Waiting for lock \"tempest-az\" (/tmp/l/tempest-az) for 30.0s, held by pid 42", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', line);
        Assert.Throws<ArgumentException>(() => WaitLine.For("", notice));
    }
}
