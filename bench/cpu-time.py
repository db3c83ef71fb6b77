#!/usr/bin/env python3
"""Runs a command; prints, as one JSON line, the CPU time (user + system) of the command and of
every process it started, and its wall time.

    python3 bench/cpu-time.py CMD [ARGS...]

The CPU time is the difference of getrusage(RUSAGE_CHILDREN) around the run, so it counts every
descendant that was waited for. This process makes itself a child subreaper first: a descendant
whose parent exits without waiting for it (the Node.js child of the jsii runtime, for instance) is
re-parented here and waited for below, so its CPU time counts too. Microsecond resolution, unlike
/proc/PID/stat or GNU time (10 ms). Linux only.
"""
import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Orphaned descendants were re-parented to this process: reap them (their rusage counts then).
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    print(json.dumps({
        "status": proc.returncode,
        "cpu": user + system,
        "user": user,
        "sys": system,
        "wall": wall,
        "stderr": proc.stderr.decode("utf-8", "replace")[-4000:],
    }))


if __name__ == "__main__":
    main()
