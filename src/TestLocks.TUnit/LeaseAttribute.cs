namespace TestLocks.TUnit;

/// <summary>[Lease] in this framework: its members are in src/Attributes/LeaseAttribute.cs, shared by every framework package.</summary>
public sealed partial class LeaseAttribute : TestLocksAttribute;
