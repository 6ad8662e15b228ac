"""Counts under Python oslo.concurrency's external lock, the way Tempest takes it:
lockutils.lock(name, 'tempest-', external=True, lock_path=...). Same counter protocol as TestHelper's 'count'."""
import sys
from oslo_concurrency import lockutils

name, counter, lock_path, iterations = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for _ in range(iterations):
    with lockutils.lock(name, 'tempest-', external=True, lock_path=lock_path):
        try:
            with open(counter) as f:
                text = f.read()
        except FileNotFoundError:
            text = ''
        value = int(text) if text else 0
        with open(counter, 'w') as f:
            f.write(str(value + 1))
print('DONE', flush=True)
