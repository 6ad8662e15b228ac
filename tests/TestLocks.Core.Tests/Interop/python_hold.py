"""Holds a lock from Python until stdin says 'release' (or closes), printing HELD and RELEASED
(and BUSY when a fasteners lock was taken by someone else at the first try).
kinds: oslo (lockutils.lock external, prefix tempest-), fasteners-read / fasteners-write
(fasteners.InterProcessReaderWriterLock on the file)."""
import os, sys

kind, name, lock_path = sys.argv[1], sys.argv[2], sys.argv[3]
if kind == 'oslo':
    from oslo_concurrency import lockutils
    cm = lockutils.lock(name, 'tempest-', external=True, lock_path=lock_path)
    print('WAITING', flush=True)
else:
    # fasteners polls instead of blocking in the kernel, so say whether the first try found the lock busy.
    import contextlib, fasteners
    rw = fasteners.InterProcessReaderWriterLock(os.path.join(lock_path, name))
    acquire = rw.acquire_read_lock if kind == 'fasteners-read' else rw.acquire_write_lock
    release = rw.release_read_lock if kind == 'fasteners-read' else rw.release_write_lock
    if not acquire(blocking=False):
        print('BUSY', flush=True)
        acquire()
    cm = contextlib.ExitStack()
    cm.callback(release)
with cm:
    print('HELD %d' % os.getpid(), flush=True)
    for line in sys.stdin:
        if line.strip() == 'release':
            break
print('RELEASED', flush=True)
