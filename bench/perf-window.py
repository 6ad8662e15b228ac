"""Reads `perf script -F comm,pid,tid,time,ip,sym,dso` (call graphs) on stdin; keeps the samples of the process and time window
named in the BENCH_WINDOW file (argv[1]: label|pid|start ns|end ns, CLOCK_MONOTONIC); prints the top argv[2] symbols by
inclusive and by exclusive share, and the share per module. argv[3], when not empty, keeps only symbols containing it."""
import re, sys
from collections import Counter

label, pid, start, end = open(sys.argv[1]).read().split("\n")[0].split("|")
pid, start, end = int(pid), int(start) / 1e9, int(end) / 1e9
top, match = int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else ""
inclusive, exclusive, modules, threads = Counter(), Counter(), Counter(), Counter()
samples = 0
header = re.compile(r"^(.*?)\s+(\d+)/(\d+)\s+([\d.]+):")
frame = re.compile(r"^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)$")

def clean(sym, dso):
    if sym.startswith("[unknown]") or not sym:
        return "[" + dso.rsplit("/", 1)[-1] + "]"
    sym = re.sub(r"\[(QuickJitted|OptimizedTier1|Optimized|Tier0|Tier1|InstrumentedTier|InstrumentedTierOptimized|OptimizedTier1OSR|PreJIT)\]$", "", sym)
    return sym.replace("instance ", "")[:200]

def flush(stack, thread):
    global samples
    if not stack: return
    samples += 1
    threads[thread] += 1
    exclusive[stack[0][0]] += 1
    modules[stack[0][1]] += 1
    for s in set(f for f, _ in stack): inclusive[s] += 1

keep, stack, thread = False, [], ""
for line in sys.stdin:
    m = header.match(line)
    if m:
        if keep: flush(stack, thread)
        stack, thread = [], m.group(1).strip()
        keep = int(m.group(2)) == pid and start <= float(m.group(4)) <= end
        continue
    if keep:
        f = frame.match(line)
        if f:
            dso = f.group(2).rsplit("/", 1)[-1]
            stack.append((clean(f.group(1), dso), dso))
if keep: flush(stack, thread)
print(f"{label}: {samples} samples of process {pid} in its window ({end - start:.2f} s)")
def show(title, counter, n):
    print(title)
    for sym, count in [(s, c) for s, c in counter.most_common() if match in s][:n]:
        print(f"  {100 * count / max(samples, 1):6.2f}%  {sym}")
show("by thread:", threads, 10)
show("by module (exclusive):", modules, 15)
show("inclusive:", inclusive, top)
show("exclusive:", exclusive, top)
