#!/usr/bin/env python3
"""Where a pool run's idle member time goes (issue 23), from the stamps alone: DIR/pool-N.txt ("memberM enter exit", ns;
written by `TestLocks.Bench.dll pool DIR ...` and by bench/anchors/pool.c alike). Usage: python3 bench/pool-gaps.py DIR...
idle = MEMBERS * span - held = sum over members of head (start -> its first enter) + handoff gaps + tail (its last exit -> end)."""
import glob, sys, collections
def q(v):
    v = sorted(v); n = len(v)
    return f"n={n} p10 {v[n//10]:.3f} p50 {v[n//2]:.3f} p90 {v[9*n//10]:.3f} max {v[-1]:.3f} sum {sum(v):.1f} ms" if n else "n=0"
for d in sys.argv[1:]:
    holds = []
    for f in glob.glob(d + '/pool-[0-9]*.txt'):
        p = int(f.rsplit('-', 1)[1].split('.')[0])
        for line in open(f):
            m, e, x = line.split(); holds.append((m, int(e), int(x), p))
    members = sorted({h[0] for h in holds})
    t0 = min(h[1] for h in holds); t1 = max(h[2] for h in holds); span = t1 - t0
    held = sum(h[2] - h[1] for h in holds)
    idle = len(members) * span - held
    head, tail, gaps, same = [], [], [], 0
    for m in members:
        hs = sorted((h for h in holds if h[0] == m), key=lambda h: h[1])
        head.append((hs[0][1] - t0) / 1e6); tail.append((t1 - hs[-1][2]) / 1e6)
        for a, b in zip(hs, hs[1:]):
            gaps.append((b[1] - a[2]) / 1e6); same += a[3] == b[3]
    hold = [(h[2] - h[1]) / 1e6 for h in holds]
    print(f"{d}: busy {100 * held / len(members) / span:.1f} %, span {span/1e6:.1f} ms, idle {idle/1e6:.1f} member-ms")
    print(f"  head  {q(head)}")
    print(f"  tail  {q(tail)}")
    print(f"  gaps  {q(gaps)}  (same process twice in a row: {same})")
    print(f"  hold  {q(hold)}")
    # per process: its release -> its own next enter
    byp = collections.defaultdict(list)
    for h in holds: byp[h[3]].append(h)
    last = sorted(max(h[2] for h in v) for v in byp.values())
    print(f"  processes' last exits relative to end (ms): {[round((x - t1)/1e6,1) for x in last]}")
