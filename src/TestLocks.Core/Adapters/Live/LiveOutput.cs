using System.Runtime.Versioning;
using TestLocks.Platform.Unix;

namespace TestLocks.Adapters.Live;

/// <summary>Where a <see cref="LiveWriter"/> writes: a descriptor opened for non-blocking writes (a pipe or terminal, on
/// Linux and macOS), or a stream whose writes may block (the writer's thread alone waits for them).</summary>
internal abstract class LiveOutput
{
    /// <summary>What a write did.</summary>
    public enum Result
    {
        /// <summary>Some or all of the bytes were written.</summary>
        Written,

        /// <summary>Nothing was written: the output takes nothing now.</summary>
        WouldBlock,

        /// <summary>The output is gone: write no more.</summary>
        Gone,
    }

    /// <summary>Writes what the output takes now of <paramref name="bytes"/>.</summary>
    public abstract Result Write(ReadOnlySpan<byte> bytes, out int written);

    /// <summary>Waits until the output may take bytes again.</summary>
    public abstract void WaitWritable();

    /// <summary>The path opened for non-blocking writes; null when it cannot be (see <see cref="OutputNative.Open"/>).</summary>
    public static LiveOutput? OpenNonBlocking(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null;
        var fd = OutputNative.Open(path);
        return fd < 0 ? null : new Descriptor(fd);
    }

    /// <summary>A stream, written on the writer's thread; an <see cref="IOException"/> means the output is gone.</summary>
    public static LiveOutput Of(Stream stream) => new BlockingStream(stream);

    [SupportedOSPlatform("linux")]
    [SupportedOSPlatform("macos")]
    private sealed class Descriptor(int fd) : LiveOutput
    {
        public override Result Write(ReadOnlySpan<byte> bytes, out int written) =>
            OutputNative.Write(fd, bytes, out written) switch
            {
                OutputNative.Result.Written => Result.Written,
                OutputNative.Result.WouldBlock => Result.WouldBlock,
                _ => Result.Gone,
            };

        public override void WaitWritable() => OutputNative.WaitWritable(fd, -1);
    }

    private sealed class BlockingStream(Stream stream) : LiveOutput
    {
        public override Result Write(ReadOnlySpan<byte> bytes, out int written)
        {
            try
            {
                stream.Write(bytes);
                stream.Flush();
                written = bytes.Length;
                return Result.Written;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
            {
                written = 0;
                return Result.Gone;
            }
        }

        public override void WaitWritable()
        {
        }
    }
}
