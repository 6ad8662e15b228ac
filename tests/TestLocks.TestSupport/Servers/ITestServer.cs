namespace TestLocks.TestSupport.Servers;

/// <summary>A lock server the tests run, stop and start again for real.</summary>
public interface ITestServer : IAsyncDisposable
{
    int Port { get; }

    /// <summary>The backend_url with working credentials and the given query (<c>?option=value</c>).</summary>
    string Url(string query = "");

    Task StopServerAsync();

    Task StartServerAsync();
}
