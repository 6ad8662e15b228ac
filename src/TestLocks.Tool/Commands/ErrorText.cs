namespace TestLocks.Tool.Commands;

/// <summary>What the tool prints of an exception: the sentence a person acts on.</summary>
internal static class ErrorText
{
    /// <summary>An <see cref="ArgumentException"/>'s message without .NET's " (Parameter 'name')" and "Actual value was ..."
    /// tails, which name a C# parameter the person at the command line never wrote.</summary>
    public static string Of(ArgumentException e)
    {
        var text = e.Message;
        var actual = text.IndexOf(Environment.NewLine + "Actual value was ", StringComparison.Ordinal);
        if (e is ArgumentOutOfRangeException && actual >= 0) text = text[..actual];
        return e.ParamName is { } parameter ? text.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : text;
    }
}
