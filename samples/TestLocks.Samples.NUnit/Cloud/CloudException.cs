namespace TestLocks.Samples.Cloud;

/// <summary>The cloud refused a request, with nova's status: 404 when something is missing, 409 on a conflict.</summary>
public sealed class CloudException(int status, string message) : Exception($"{status} {(status == 404 ? "Not Found" : "Conflict")}: {message}")
{
    public int Status { get; } = status;
}
