"""The pass/fail lines the aws test scripts print, and their verdict: every
check is reported, and a run fails when any one did."""

FAILS = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        FAILS.append(what)


def summary():
    """Print how many checks failed; the exit status for main()."""
    print('%d failed' % len(FAILS))
    return 1 if FAILS else 0
