# Sourced by bench/frameworks.sh and bench/frameworks-profile.sh: `run FRAMEWORK KIND` runs one benchmark class
# (KIND marked, unmarked or do-nothing, and busy for MSTest; see bench/frameworks.sh) through its framework's own runner, from the repository root.
# TUnit's HTML reporter (on by default in TUnit 1.81) listens to every ActivitySource and writes each test's spans, TestLocks'
# lock spans among them, into a JSON report at the end of the run: about 240 us of CPU per test of every kind on this
# machine, whose end-of-run share varies by more than the overhead measured. Off unless TUNIT_HTML=1 (docs/benchmarks.md).
[ -n "${TUNIT_HTML:-}" ] || export TUNIT_DISABLE_HTML_REPORTER=1

dll() { echo "bench/TestLocks.Bench.$1/bin/Release/net10.0/TestLocks.Bench.$1.dll"; }

run() {
  local class
  case "$1:$2" in
    *:marked) class=Marked ;;
    *:unmarked) class=Unmarked ;;
    MSTest:do-nothing) class=ConditionOnly ;;
    MSTest:busy) class=Busy ;;
    TUnit:do-nothing) class=ReceiverOnly ;;
    Xunit*:do-nothing) class=BeforeAfterOnly ;;
    NUnit:do-nothing) class=WrapperOnly ;;
    *) echo "unknown framework or kind: $1 $2" >&2; return 2 ;;
  esac
  case "$1" in
    MSTest) dotnet "$(dll MSTest)" --filter "FullyQualifiedName~TestLocks.Bench.MSTest.$class." --progress off ;;
    TUnit) dotnet "$(dll TUnit)" --treenode-filter "/*/*/$class/*" --maximum-parallel-tests 1 --progress off ;;
    XunitV2) dotnet test "$(dll XunitV2)" --filter "FullyQualifiedName~TestLocks.Bench.XunitV2.$class." --nologo ;;
    XunitV3) dotnet "$(dll XunitV3)" -class "TestLocks.Bench.XunitV3.$class" -noLogo ;;
    # Above AssemblySelectLimit (2,000) selected tests NUnit's adapter drops the filter and runs every class.
    NUnit) dotnet test "$(dll NUnit)" --filter "FullyQualifiedName~TestLocks.Bench.NUnit.$class." --nologo -- NUnit.AssemblySelectLimit=1000000 ;;
    *) echo "unknown framework: $1" >&2; return 2 ;;
  esac
}
