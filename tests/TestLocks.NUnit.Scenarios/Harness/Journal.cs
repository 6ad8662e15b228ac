namespace TestLocks.NUnit.Scenarios.Harness;

/// <summary>
/// Where the scenarios record what runs when. Each phase appends "TAG phase" to the file named by SCENARIO_JOURNAL,
/// so two processes writing the same file give one interleaving of their phases. When SCENARIO_GATE names the phase,
/// the process stops right after writing it until the driving test lets it go (see <see cref="ScenarioHost"/>).
/// </summary>
public static class Journal
{
    private static readonly object s_gate = new();
    private static readonly string? s_path = Environment.GetEnvironmentVariable("SCENARIO_JOURNAL");
    private static readonly string s_tag = Environment.GetEnvironmentVariable("SCENARIO_TAG") ?? "-";
    private static readonly string? s_gatePhase = Environment.GetEnvironmentVariable("SCENARIO_GATE");

    public static void Write(string phase)
    {
        if (s_path is not null)
        {
            lock (s_gate) File.AppendAllText(s_path, $"{s_tag} {phase}{Environment.NewLine}");
        }
        if (phase == s_gatePhase) ScenarioHost.HoldAtGate(phase);
    }
}
