using System.Reflection;

namespace TestLocks.NUnit.Tests.Harness;

/// <summary>The scenario assembly built against one NUnit version.</summary>
public static class ScenarioBuild
{
    public static string PathFor(string nunitVersion)
    {
        var key = "Scenarios NUnit " + nunitVersion;
        var path = typeof(ScenarioBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        path = Path.GetFullPath(path.Replace('\\', Path.DirectorySeparatorChar));
        if (!File.Exists(path)) throw new FileNotFoundException($"The scenarios for NUnit {nunitVersion} are not built at {path}; build the solution first.", path);
        return path;
    }
}
