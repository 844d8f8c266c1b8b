"""Times commands in alternation (A B C A B C …) and prints each one's median and its
ratio to the first. hyperfine runs every command in its own block, so slow drift of a
shared VM (CPU frequency, neighbours) lands on one command more than another;
alternating spreads it evenly. Each run is a posix_spawn + waitpid timed with
perf_counter (the same small overhead on every command).

Usage: interleaved.py RUNS "CMD A" "CMD B" …   (commands split on spaces, no shell)
Prints one line per command: "<median ms> <ratio to A> <command>".
"""
import os
import statistics
import sys
import time


def once(argv):
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    os.waitpid(pid, 0)
    return time.perf_counter() - start


def main():
    runs = int(sys.argv[1])
    cmds = [c.split() for c in sys.argv[2:]]
    devnull = os.open(os.devnull, os.O_WRONLY)
    report = os.fdopen(os.dup(2), "w")
    # The commands' output is not part of the measurement (nor of the report).
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    times = [[] for _ in cmds]
    for _ in range(20):
        for c in cmds:
            once(c)
    for _ in range(runs):
        for i, c in enumerate(cmds):
            times[i].append(once(c))
    base = statistics.median(times[0])
    for c, t in zip(sys.argv[2:], times):
        m = statistics.median(t)
        report.write(f"{m * 1000:.2f} {m / base:.3f} {c}\n")
    report.flush()


main()
