"""Holds a lock from Python until stdin says 'release' (or closes), printing HELD and RELEASED.
kinds: oslo (lockutils.lock external, prefix tempest-), fasteners-read / fasteners-write
(fasteners.InterProcessReaderWriterLock on the file)."""
import os, sys

kind, name, lock_path = sys.argv[1], sys.argv[2], sys.argv[3]
if kind == 'oslo':
    from oslo_concurrency import lockutils
    cm = lockutils.lock(name, 'tempest-', external=True, lock_path=lock_path)
else:
    import fasteners
    rw = fasteners.InterProcessReaderWriterLock(os.path.join(lock_path, name))
    cm = rw.read_lock() if kind == 'fasteners-read' else rw.write_lock()
print('WAITING', flush=True)
with cm:
    print('HELD %d' % os.getpid(), flush=True)
    for line in sys.stdin:
        if line.strip() == 'release':
            break
print('RELEASED', flush=True)
