using Medallion.Threading;

namespace TestLocks.Backends.Server;

/// <summary>A held server lock that carries the fencing token its acquire was given (see <see cref="LockHandle.FencingToken"/>).</summary>
internal interface IFencedHandle : IDistributedSynchronizationHandle
{
    /// <summary>The token, or null for a read lock.</summary>
    long? FencingToken { get; }
}
