"""The hostile part of a build/chaos.sh round: SIGKILLs one test process while it holds a lock and freezes another
(SIGSTOP) for FREEZE seconds while it holds one, then wakes it (SIGCONT). Holding is read from the processes' witness
files (tests/Chaos/Witness): a "+L" line without its "-L". Each target is stopped first and its file read again, so
that it is caught holding, not about to release. A killed process's open holds get their "-L" line stamped (CLOCK_MONOTONIC,
the witness's clock) just before the kill: the kernel frees its locks after that moment, so the next holder's "+L"
comes later and the overlap check stays exact. Prints "killed NAME" and "frozen NAME" for what it did; gives up after
LIMIT seconds.
  chaos-hostile.py WITNESS_DIR FREEZE LIMIT KILL_NAME KILL_PGID FREEZE_NAME FREEZE_PGID"""
import glob, os, signal, sys, time

wdir, freeze, limit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
targets = {"kill": (sys.argv[4], int(sys.argv[5])), "freeze": (sys.argv[6], int(sys.argv[7]))}


class Holds:
    """The open holds of one process name, read incrementally from its witness files."""
    def __init__(self, name):
        self.name, self.offsets, self.open = name, {}, {}

    def read(self):
        for path in glob.glob(os.path.join(wdir, f"w-{self.name}-*.log")):
            if not os.path.basename(path)[len(self.name) + 3:-4].isdigit(): continue  # w-NAME-PID.log, not a copy's
            with open(path, "rb") as f:
                f.seek(self.offsets.get(path, 0))
                data = f.read()
            end = data.rfind(b"\n") + 1  # whole lines only
            self.offsets[path] = self.offsets.get(path, 0) + end
            for line in data[:end].decode().splitlines():
                p = line.split()
                if len(p) >= 5 and p[1] == "+L": self.open[p[4]] = (path, p[2], p[3])
                elif len(p) >= 5 and p[1] == "-L": self.open.pop(p[4], None)
        return bool(self.open)


pending = {k: Holds(n) for k, (n, _) in targets.items()}
frozen_until = None
deadline = time.monotonic() + limit
while (pending or frozen_until) and time.monotonic() < deadline:
    for what, holds in list(pending.items()):
        name, pgid = targets[what]
        if not holds.read(): continue
        try: os.killpg(pgid, signal.SIGSTOP)
        except ProcessLookupError: pending.pop(what); continue
        if not holds.read():  # released before it stopped
            os.killpg(pgid, signal.SIGCONT); continue
        if what == "kill":
            stamp = time.monotonic_ns()
            os.killpg(pgid, signal.SIGKILL)
            for hid, (path, lock, kind) in holds.open.items():
                with open(path, "a") as f: f.write(f"{stamp} -L {lock} {kind} {hid}\n")
        else:
            frozen_until = time.monotonic() + freeze
        print(f"{'killed' if what == 'kill' else 'frozen'} {name}", flush=True)
        pending.pop(what)
    if frozen_until and time.monotonic() >= frozen_until:
        os.killpg(targets["freeze"][1], signal.SIGCONT); frozen_until = None
    time.sleep(0.001)
if frozen_until: os.killpg(targets["freeze"][1], signal.SIGCONT)
