#!/usr/bin/env python3
"""What --redact costs: profile-lint with and without it on one capture of about 17 MB and one
of about 170 MB, each with 5% invalid users, streamed (the default for bodies of 8 MiB or
more) and read whole (--stream-threshold above the size), JSON and human reports.

Prints wall and CPU time (medians, the runs with and without --redact taking turns) and peak
RSS of both, and the ratios, against the goal of a wall time at most 1.5 times the plain run. It is a measurement, not a test: it prints figures and never
fails on them.

    python3 bench/redact.py [--runs 3] [--skip-build] [--users-per-mb 940]

The captures come from the corpus generator (`cargo run --release --example gen_corpus`) and
go to target/bench/redact/ (generated once, then reused).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import LINT, ROOT  # noqa: E402

OUT = os.path.join(ROOT, "target", "bench", "redact")
GOAL = 1.5
WHOLE = str(2**64 - 1)


def generate(users):
    """The capture of `users` users, 5% of them invalid, pretty-printed."""
    out = os.path.join(OUT, f"users-{users}")
    path = os.path.join(out, "profile-00000.json")
    if not os.path.exists(path):
        subprocess.run(["cargo", "run", "--release", "--quiet", "--example", "gen_corpus", "--",
                        "--users", str(users), "--files", "1", "--out", out, "--invalid-rate", "0.05",
                        "--pretty", "--seed", "1"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return path


def once(argv):
    """Wall seconds, CPU seconds (user and system) and peak RSS (MiB) of one run of argv."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def pair(plain, redact, runs):
    """Median wall, median CPU and largest peak of each argv; the runs alternate, so a load
    that comes and goes on the machine weighs on both alike."""
    results = ([], [])
    for _ in range(runs):
        for argv, out in zip((plain, redact), results):
            out.append(once(argv))
    return [(statistics.median(r[0] for r in out), statistics.median(r[1] for r in out),
             max(r[2] for r in out)) for out in results]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--users-per-mb", type=int, default=940,
                    help="users in a MB of the generator's pretty output (940 for its realistic users)")
    a = ap.parse_args()
    if not a.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "profile-lint"], cwd=ROOT, check=True)
    print(f"cores: {os.cpu_count()}; runs per case: {a.runs}, with and without --redact taking turns "
          "(median wall and CPU, largest peak RSS)")
    print(f"| capture | read | report | plain wall | redact wall | ratio | plain CPU | redact CPU | ratio "
          f"| plain peak | redact peak | wall goal <= {GOAL} |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mb in (17, 170):
        path = generate(mb * a.users_per_mb)
        size = os.path.getsize(path) / 1e6
        for read, threshold in (("streamed", []), ("whole", ["--stream-threshold", WHOLE])):
            for report in ("json", "human"):
                argv = [LINT, path, "--no-config", "--format", report, *threshold]
                (wall, cpu, peak), (r_wall, r_cpu, r_peak) = pair(argv, argv + ["--redact"], a.runs)
                mark = "ok" if r_wall / wall <= GOAL else "MISSED"
                print(f"| {size:.0f} MB | {read} | {report} | {wall:.2f} s | {r_wall:.2f} s | {r_wall / wall:.2f} "
                      f"| {cpu:.2f} s | {r_cpu:.2f} s | {r_cpu / cpu:.2f} | {peak:.0f} MiB | {r_peak:.0f} MiB "
                      f"| {mark} |")


if __name__ == "__main__":
    main()
