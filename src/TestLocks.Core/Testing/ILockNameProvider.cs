namespace TestLocks.Testing;

/// <summary>
/// Computes the lock names of one test case, for names a format template cannot express (a lookup, several names from
/// one argument). Name the provider type in the attribute: <c>[ExternalLock(typeof(DatabaseLocks))]</c>. It needs a
/// public parameterless constructor; one instance per type serves every test case, from several threads at once.
/// </summary>
/// <example>
/// <code>
/// public sealed class DatabaseLocks : ILockNameProvider
/// {
///     public IEnumerable&lt;string&gt; GetLockNames(TestCaseInfo testCase) =&gt;
///         ((string[])testCase.Arguments[0]!).Select(db =&gt; "db-" + db);
/// }
/// </code>
/// </example>
public interface ILockNameProvider
{
    /// <summary>The names of the locks <paramref name="testCase"/> holds (none is allowed); each is validated like any lock name.</summary>
    IEnumerable<string> GetLockNames(TestCaseInfo testCase);
}
