global using NUnit.Framework;
global using TestLocks.NUnit.Tests.Harness;
