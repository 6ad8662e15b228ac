namespace TestLocks.Samples.Cloud;

/// <summary>The cloud refused a request: 404 Not Found or 409 Conflict, as nova answers.</summary>
public sealed class CloudException(int status, string message) : Exception($"{status} {(status == 404 ? "Not Found" : "Conflict")}: {message}")
{
    public int Status { get; } = status;
}
