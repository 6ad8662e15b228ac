#!/usr/bin/env python3
"""Where a pool's idle time goes (issue 23). Reads a `pool` run of TestLocks.Bench built with bench/counted-trace.patch
and TESTLOCKS_COUNTED_TRACE=DIR/trace set:
    git apply bench/counted-trace.patch && dotnet build bench/TestLocks.Bench -c Release   # then: git apply -R bench/counted-trace.patch
    mkdir /tmp/p && TESTLOCKS_COUNTED_TRACE=/tmp/p/trace dotnet bench/TestLocks.Bench/bin/Release/net10.0/TestLocks.Bench.dll pool /tmp/p 8 4 25 20
    python3 bench/counted-trace.py /tmp/p
Events per process (DIR/trace.PID: "stopwatch-ns thread event slot"): A acquire starts, T turnstile held, S slots tried
(slot won or -1), W slot waits armed, G slot won by a wait, R turnstile let go (on lock files also when the waiter took the front), L a late win given back (a slot or the
front won after the acquire was decided),
D/d slot release starts/ends, g a slot won on its wait thread, C/c the losers' cancellation, P (p) a parked slot (byte)
wait that won and gave the lock straight back; each line also carries the thread pool's threads and queued items. Each member's idle gap (released -> next holder in) is filed under what its next holder
was doing when the member was freed: already waiting on the slots ("waited") or not yet there ("turnstile-after")."""
import collections, glob, sys

d = sys.argv[1]

def q(name, v):
    v = sorted(v); n = len(v)
    if n: print(f"{name}: n={n} p10 {v[n//10]:.2f} p50 {v[n//2]:.2f} p90 {v[9*n//10]:.2f} max {v[-1]:.2f} sum {sum(v):.1f} ms")

holds = []
for f in glob.glob(d + '/pool-[0-9]*.txt'):
    for line in open(f):
        m, e, x = line.split(); holds.append((m, int(e), int(x)))
members = len({h[0] for h in holds})
t0 = min(h[1] for h in holds); t1 = max(h[2] for h in holds); held = sum(h[2] - h[1] for h in holds)
print(f"busy {100 * held / members / (t1 - t0):.1f} % of ideal (span {(t1 - t0) / 1e9:.3f} s)")
ev = []
for f in glob.glob(d + '/trace.*'):
    pid = f.rsplit('.', 1)[1]
    for line in open(f):
        p_ = line.split(); t, w, i = p_[0], p_[2], p_[3]; ev.append((int(t), pid, w, int(i)))
ev = sorted(e for e in ev if e[0] >= t0 - 2_000_000)
state, last, freed, cats = {}, {}, {}, collections.defaultdict(list)
phase = collections.defaultdict(list); lastR = None
for t, pid, w, i in ev:
    p = last.setdefault(pid, {}); p[w] = t
    if w == 'D': freed[i] = t
    if w in ('T', 'W'): state[pid] = (w, t)
    if w == 'T' and lastR: phase['turnstile free (R -> next T; includes time nobody asked)'].append((t - lastR) / 1e6)
    if w == 'R': lastR = t
    if w == 'S': phase['try every slot (T -> S)'].append((t - p['T']) / 1e6)
    if w == 'G': phase['slot wait (W -> G)'].append((t - p['W']) / 1e6)
    if w == 'd': phase['slot release (D -> d)'].append((t - p['D']) / 1e6)
    if w in ('S', 'G') and i >= 0 and i in freed:
        at = freed.pop(i); st = state.get(pid)
        kind = 'waited' if w == 'G' and st and st[0] == 'W' and st[1] < at else 'turnstile-after'
        cats[kind].append((t - at) / 1e6)
for k, v in phase.items(): q(k, v)
for k, v in cats.items(): q('member gap, next holder ' + k, v)
print('late wins given back:', sum(1 for e in ev if e[2] == 'L'), 'of', sum(1 for e in ev if e[2] == 'A'), 'acquires')
# thread pool: max pending work items and threads seen per process
tp = collections.defaultdict(lambda: [0, 0])
for f in glob.glob(d + '/trace.*'):
    pid = f.rsplit('.', 1)[1]
    for line in open(f):
        p_ = line.split()
        if len(p_) >= 6 and int(p_[0]) >= t0:
            tp[pid][0] = max(tp[pid][0], int(p_[4])); tp[pid][1] = max(tp[pid][1], int(p_[5]))
print("thread pool (threads max, pending max) per process:", " ".join(f"{v[0]}/{v[1]}" for v in tp.values()))
# chain stages: R (turnstile released by winner) -> next T; winner's path g -> R
print('parked waits that won a slot and gave it back (P):', sum(1 for e in ev if e[2] == 'P'), '; parked byte waits that won (p):', sum(1 for e in ev if e[2] == 'p'))
# the winner's own path: slot won on the wait thread (g) -> turnstile let go (R), per acquire
gR = []; lastg = {}
for t, pid, w, i in ev:
    if w == 'g': lastg[pid] = t
    if w == 'R' and pid in lastg: gR.append((t - lastg.pop(pid)) / 1e6)
q('winner: slot won -> turnstile let go (g -> R)', gR)
