namespace Fx;

/// <summary>For a fixture test that cannot be cancelled (xUnit v2): it goes on once the harness has created the file
/// named by <see cref="Variable"/>.</summary>
internal static class GoOn
{
    public const string Variable = "SCENARIO_GO_ON";

    /// <summary>Returns once the file exists: the harness has done what the test waits for.</summary>
    public static async Task WhenToldAsync()
    {
        var file = Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException($"{Variable} is not set");
        while (!File.Exists(file)) await Task.Delay(20); // the harness's signal: no event crosses the process boundary here
    }
}
