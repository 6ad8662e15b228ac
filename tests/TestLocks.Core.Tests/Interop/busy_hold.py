"""Holds a classic POSIX lock (Python's lockf, as oslo takes it) on a file and keeps a CPU busy until stdin says
'release' (or closes), printing HELD <pid> and RELEASED: a holder that works, for the wait notices' CPU time."""
import fcntl, os, sys, threading

path = sys.argv[1]
done = threading.Event()
with open(path, 'a') as f:
    fcntl.lockf(f, fcntl.LOCK_EX)
    print('HELD %d' % os.getpid(), flush=True)
    threading.Thread(target=lambda: (sys.stdin.readline(), done.set()), daemon=True).start()
    n = 0
    while not done.is_set():
        n += 1
    fcntl.lockf(f, fcntl.LOCK_UN)
print('RELEASED', flush=True)
