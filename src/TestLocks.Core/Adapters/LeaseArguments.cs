using System.Reflection;
using System.Text;
using TestLocks.Testing;

namespace TestLocks.Adapters;

/// <summary>What every framework package's <c>[Lease]</c> and <c>[LeaseData]</c> do with their arguments, written once:
/// the check of the pool's name where the attribute is made, and the <see cref="LeasedMember"/> a test takes as its
/// parameter where the framework makes its parameters. What is wrong fails there, before any test runs, with a
/// <see cref="TestLocksException"/> that names the attribute and what to write. For framework packages, not for tests.</summary>
public static class LeaseArguments
{
    /// <summary>Longest pool name in UTF-8 bytes: the pool's queue is the lock file <c>PREFIX-NAME.queue</c>, and a file
    /// name holds at most 255 bytes, prefix included.</summary>
    internal const int MaxPoolBytes = 200;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><paramref name="pool"/>, checked: a name the INI file's <c>[testlocks.pools]</c> section can declare.</summary>
    /// <param name="pool">The pool's name as the attribute got it.</param>
    /// <param name="attribute">The attribute's name without brackets, for the message: "Lease" or "LeaseData".</param>
    /// <exception cref="TestLocksException">Null, empty, white space around it or only white space, a control character,
    /// ':' or '=', a lone surrogate, or longer than 200 UTF-8 bytes; the message says which and what to write.</exception>
    public static string Pool(string? pool, string attribute)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        if (Problem(pool) is not { } problem) return pool!;
        var shown = pool is null ? "null" : $"\"{Visible(pool.Length > 60 ? pool[..60] + "..." : pool)}\"";
        throw new TestLocksException($"[{attribute}({shown})]: the pool's name {problem}. Give the name a pool has in the INI file's " +
            $"[testlocks.pools] section, for example [{attribute}(\"database\")] with the line \"database = db1, db2, db3\".");
    }

    /// <summary>The value of a parameter marked <c>[Lease(pool)]</c> (NUnit): a <see cref="LeasedMember"/> of <paramref name="pool"/>.</summary>
    /// <exception cref="TestLocksException"><paramref name="parameter"/> cannot take a <see cref="LeasedMember"/>.</exception>
    public static LeasedMember Member(string pool, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.ParameterType.IsAssignableFrom(typeof(LeasedMember))) return new LeasedMember(pool);
        throw new TestLocksException($"[Lease(\"{pool}\")] on a parameter passes a LeasedMember: declare {parameter.Name} as " +
            $"LeasedMember, not {parameter.ParameterType.Name}, and read its Name (the member the test holds).");
    }

    /// <summary>The one row of <c>[LeaseData(pool)]</c> on <paramref name="method"/>: a <see cref="LeasedMember"/> of
    /// <paramref name="pool"/> for its one parameter.</summary>
    /// <exception cref="TestLocksException">The method's first parameter cannot take a <see cref="LeasedMember"/>, or it
    /// has no parameter, or more than one without a default value.</exception>
    public static LeasedMember Row(string pool, MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parameters = method.GetParameters();
        if (parameters.Length > 0 && parameters[0].ParameterType.IsAssignableFrom(typeof(LeasedMember)) && parameters.Skip(1).All(p => p.HasDefaultValue))
        {
            return new LeasedMember(pool);
        }
        var takes = parameters.Length == 0 ? "no parameter" : string.Join(", ", parameters.Select(p => $"{p.ParameterType.Name} {p.Name}"));
        throw new TestLocksException($"[LeaseData(\"{pool}\")] on {method.DeclaringType?.Name}.{method.Name} passes the test one " +
            $"LeasedMember, but the method takes ({takes}). Declare it as {method.Name}(LeasedMember member) and read member.Name " +
            $"(the member the test holds); to lease a member without a parameter, mark the test [Lease(\"{pool}\")] and call Lease.Current(\"{pool}\").");
    }

    private static string? Problem(string? pool)
    {
        if (pool is null) return "is null";
        if (pool.Length == 0) return "is empty";
        if (string.IsNullOrWhiteSpace(pool)) return "is only white space";
        if (pool.Any(char.IsControl)) return "holds a control character";
        if (pool.Trim().Length != pool.Length) return "starts or ends with white space, which the INI file drops from the names it declares";
        if (pool.Contains(':', StringComparison.Ordinal) || pool.Contains('=', StringComparison.Ordinal))
        {
            return "holds ':' or '=', which no name in the INI file's [testlocks.pools] section can hold";
        }
        int bytes;
        try
        {
            bytes = s_strictUtf8.GetByteCount(pool);
        }
        catch (EncoderFallbackException)
        {
            return "holds a lone UTF-16 surrogate, which no file name can hold";
        }
        return bytes > MaxPoolBytes ? $"is {bytes} bytes long in UTF-8; a pool's name is at most {MaxPoolBytes} (its queue's lock file name holds it)" : null;
    }

    private static string Visible(string s)
    {
        var result = new StringBuilder(s.Length);
        foreach (var c in s) result.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c);
        return result.ToString();
    }
}
