#!/usr/bin/env python3
"""Processes a test run left running: the last step of scripts/test.sh.

  leftovers.py snapshot FILE
      record every process now running (pid and kernel start time)
  leftovers.py check FILE --mark TOKEN --tree DIR [--grace SECONDS]
      list the processes started since the snapshot that belong to the run
      and are still running; exit 1 naming each, or 0 saying none remain

A process belongs to the run when its environment carries
XD_TEST_RUN=TOKEN (test.sh exports it, and every server a test starts
inherits it through ip netns exec, python and shells, even after its parent
is gone and init adopted it), or when its command line names a file under
DIR and init has adopted it (a test that hands a child a cleaned
environment still runs our scripts and binaries; a build someone runs in
the tree meanwhile still has its parent). Processes that are not ours
(other users' work, daemons apt starts, a parallel run from another tree)
carry neither, so they are never named. Pids are compared together with their start time, so
a recycled pid is not mistaken for a process from before the snapshot.
"""
import argparse
import os
import sys
import time

MARK_VAR = b"XD_TEST_RUN="


def _stat(pid):
    """(state, ppid, starttime ticks) of pid, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            rest = f.read().rsplit(b")", 1)[1].split()
        return rest[0].decode(), int(rest[1]), int(rest[19])
    except (OSError, IndexError, ValueError):
        return None


def _pids():
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def snapshot(path):
    with open(path, "w") as f:
        for pid in _pids():
            st = _stat(pid)
            if st:
                f.write("%d %d\n" % (pid, st[2]))


def _ancestors():
    """This checker and the shells that ran it: they carry the mark too."""
    out = set()
    pid = os.getpid()
    while pid > 1 and pid not in out:
        out.add(pid)
        st = _stat(pid)
        if not st:
            break
        pid = st[1]
    return out


def _boot_time():
    for line in _read("/proc/stat").splitlines():
        if line.startswith(b"btime "):
            return int(line.split()[1])
    return 0


def _leftovers(before, mark, tree):
    mine = _ancestors()
    needle = MARK_VAR + mark.encode()
    tree_b = (os.path.realpath(tree).rstrip("/") + "/").encode()
    found = []
    for pid in _pids():
        if pid in mine:
            continue
        st = _stat(pid)
        if not st or st[0] in ("Z", "X") or (pid, st[2]) in before:
            continue
        env = _read("/proc/%d/environ" % pid).split(b"\0")
        cmd = _read("/proc/%d/cmdline" % pid)
        # the tree's path alone marks only an orphan (init adopted it): a
        # build or an editor someone runs in the tree meanwhile is not ours
        if needle in env or (tree_b in cmd and st[1] == 1):
            found.append((pid, st[1], st[2],
                          cmd.rstrip(b"\0").replace(b"\0", b" ")
                          .decode("utf-8", "replace")))
    return found


def check(path, mark, tree, grace):
    before = set()
    with open(path) as f:
        for line in f:
            pid, start = line.split()
            before.add((int(pid), int(start)))
    # a test's last server may still be on its way out after SIGTERM
    deadline = time.monotonic() + grace
    while True:
        left = _leftovers(before, mark, tree)
        if not left or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    if not left:
        print("no process started by the suite is still running")
        return 0
    hz = os.sysconf("SC_CLK_TCK")
    boot = _boot_time()
    print("FAIL: %d process%s started by the suite %s still running:" %
          (len(left), "" if len(left) == 1 else "es",
           "is" if len(left) == 1 else "are"))
    print("  %7s %7s  %-19s  %s" % ("PID", "PPID", "STARTED", "COMMAND"))
    for pid, ppid, start, cmd in sorted(left):
        when = time.strftime("%Y-%m-%d %H:%M:%S",
                             time.localtime(boot + start // hz))
        print("  %7d %7d  %-19s  %s" % (pid, ppid, when, cmd[:200]))
    print("(stop them with: kill %s)" % " ".join(str(p[0]) for p in left))
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("file")
    c = sub.add_parser("check")
    c.add_argument("file")
    c.add_argument("--mark", required=True)
    c.add_argument("--tree", required=True)
    c.add_argument("--grace", type=float, default=5.0)
    a = ap.parse_args()
    if a.cmd == "snapshot":
        snapshot(a.file)
        return 0
    return check(a.file, a.mark, a.tree, a.grace)


if __name__ == "__main__":
    sys.exit(main())
