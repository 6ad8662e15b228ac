// TestLocks takes this assembly's test locks from the demo's statistics factory.
[assembly: TestLocks.Samples.Cloud.DemoLocks]
