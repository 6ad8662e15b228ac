"""Holds a classic POSIX lock (Python's lockf, as oslo takes it) and sleeps while a child process it started keeps a CPU
busy, until stdin says 'release' (or closes), printing HELD <pid> and RELEASED: a holder whose work is done by a child,
as `testlocks run -- CMD` and a test running a command are."""
import fcntl, os, subprocess, sys

path = sys.argv[1]
with open(path, 'a') as f:
    fcntl.lockf(f, fcntl.LOCK_EX)
    child = subprocess.Popen(['/usr/bin/python3', '-c', 'while True: pass'])
    print('HELD %d' % os.getpid(), flush=True)
    sys.stdin.readline()
    child.kill()
    child.wait()
    fcntl.lockf(f, fcntl.LOCK_UN)
print('RELEASED', flush=True)
