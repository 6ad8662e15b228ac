using TestLocks;
using TestLocks.NUnit;

// Every scenario reads this lock, so a test that holds it for writing shows that assembly-level attributes apply.
[assembly: ExternalLock("scenario-assembly", Mode = LockMode.Read)]
