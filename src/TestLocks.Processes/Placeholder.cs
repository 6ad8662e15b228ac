namespace TestLocks.Processes;

/// <summary>x</summary>
public static class Placeholder { }
