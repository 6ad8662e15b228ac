using System.Reflection;

namespace TestLocks.Frameworks.Tests;

/// <summary>The MSTest-on-VSTest fixture project, built with this test project, and the <c>dotnet test</c> line that runs it.</summary>
internal static class VsTestProject
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static string DotnetTest(string arguments)
    {
        var project = typeof(VsTestProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MSTestVSTestProject").Value!;
        return $"dotnet test '{project}' -c {Configuration} --no-build --no-restore -p:IsTestProject=true {arguments}";
    }
}
