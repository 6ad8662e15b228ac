using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class OutputTests
{
    [Fact]
    public async Task I_can_read_100_MB_on_stdout_and_stderr_written_at_the_same_time()
    {
        const int size = 100_000_000;

        // Both streams are written concurrently: a reader that drained one before the other would deadlock.
        var result = await ProcessUtils.ExecuteAsync(
            ["sh", "-c", $"head -c {size} /dev/zero | tr '\\0' e >&2 & head -c {size} /dev/zero | tr '\\0' o; wait"], cancellationToken: Ct);

        Assert.Equal(size, result.StandardOutputBytes.Length);
        Assert.Equal(size, result.StandardErrorBytes.Length);
        Assert.True(result.StandardOutputBytes.Span.IndexOfAnyExcept((byte)'o') < 0);
        Assert.True(result.StandardErrorBytes.Span.IndexOfAnyExcept((byte)'e') < 0);
    }

    [Fact]
    public async Task I_can_read_binary_output_byte_for_byte()
    {
        using var directory = new TempDirectory();
        var file = directory.File("all-bytes");
        await File.WriteAllBytesAsync(file, AllBytes, Ct);

        var result = await ProcessUtils.ExecuteAsync(["cat", file], cancellationToken: Ct);

        Assert.Equal(AllBytes, result.StandardOutputBytes.ToArray());
    }

    [Fact]
    public async Task I_can_send_binary_input()
    {
        var result = await ProcessUtils.ExecuteAsync(["cat"], new ExecuteOptions { StandardInputBytes = AllBytes }, Ct);

        Assert.Equal(AllBytes, result.StandardOutputBytes.ToArray());
    }

    [Fact]
    public async Task I_can_send_text_input_as_UTF8()
    {
        var options = new ExecuteOptions { StandardInput = "héllo\n" };

        var echoed = await ProcessUtils.ExecuteAsync(["cat"], options, Ct);
        var bytes = await ProcessUtils.ExecuteAsync(["od", "-An", "-tx1"], options, Ct);

        Assert.Equal("héllo\n", echoed.StandardOutput);
        Assert.Equal("68 c3 a9 6c 6c 6f 0a", bytes.StandardOutput.Trim()); // UTF-8, no byte order mark
    }

    [Fact]
    public async Task I_can_pipe_more_input_than_a_pipe_holds_through_a_command()
    {
        var input = new byte[20_000_000];
        Random.Shared.NextBytes(input);

        var result = await ProcessUtils.ExecuteAsync(["cat"], new ExecuteOptions { StandardInputBytes = input }, Ct);

        Assert.True(input.AsSpan().SequenceEqual(result.StandardOutputBytes.Span));
    }

    [Fact]
    public async Task A_command_without_input_sees_its_input_closed()
    {
        var result = await ProcessUtils.ExecuteAsync(["sh", "-c", "cat; echo done"], cancellationToken: Ct);

        Assert.Equal("done\n", result.StandardOutput);
    }
}
