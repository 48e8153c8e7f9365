#!/usr/bin/env python3
"""Benchmark profile-lint against the jsonschema crate used plainly, side by side, in one run.

Builds both (release), generates the corpora with the project's generator
(`examples/gen_corpus`), runs each case
several times, and prints wall time (median), MB/s, users/s, peak memory and the ratio to the
baseline for each case, with the machine's core count. Two inputs the baseline cannot read, a
browser session saved as HAR and JSON Lines, are measured for profile-lint alone, against
goals for its peak memory (and the HAR's wall time). It is a measurement, not a test: it
prints figures and never fails on them.

    python3 bench/run.py [--runs 3] [--big-users 200000] [--skip-build] [--flat] [--huge]

`--huge` also measures the peak memory of one capture of about 10 GB (ten million users; it
takes about 22 GB of disk while it is made, 11 GB after).

The corpora go to target/bench/ (generated once, then reused).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(ROOT, "target", "release", "examples", "gen_corpus")
BENCH = os.path.join(ROOT, "target", "bench")
LINT = os.path.join(ROOT, "target", "release", "profile-lint")
BASELINE = os.path.join(ROOT, "target", "release", "examples", "plain_jsonschema")
FLOOR = os.path.join(ROOT, "target", "release", "examples", "parse_floor")


def generate(name, users, files, invalid_rate=0.0, seed=1, fmt="json", extra=()):
    """The files of corpus `name`, and their total size: pretty-printed arrays of `users` users
    (json), or with `fmt` "har" or "jsonl" the generator's other formats (`extra` sizes them)."""
    out = os.path.join(BENCH, name)
    if not os.path.exists(os.path.join(out, "MANIFEST.tsv")):
        args = [GENERATOR, "--users", str(users), "--files", str(files), "--out", out, "--seed", str(seed)]
        args += ["--pretty"] if fmt == "json" else ["--format", fmt, *extra]
        if invalid_rate:
            args += ["--invalid-rate", str(invalid_rate)]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    paths = sorted(os.path.join(out, f) for f in os.listdir(out) if f.endswith("." + fmt))
    size = sum(os.path.getsize(p) for p in paths)
    return paths, size


def cpu(argv, runs):
    """Median CPU seconds (user and system, on every core) over `runs` runs of argv."""
    times = []
    for _ in range(runs):
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times)


def measure(argv, runs):
    """Median wall seconds and the largest peak RSS (MiB) over `runs` runs of argv."""
    walls, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(walls), max(peaks)


def measure_pair(first, second, runs):
    """`measure` of two commands, run in turns so that a change in the machine's load falls on
    both alike."""
    walls, peaks = ([], []), ([], [])
    # One untimed run of each first: the file is then read from the page cache every time,
    # for both tools (a 10 GB file read before may have pushed it out).
    for argv in (first, second):
        measure(argv, 1)
    for _ in range(runs):
        for i, argv in enumerate((first, second)):
            wall, peak = measure(argv, 1)
            walls[i].append(wall)
            peaks[i].append(peak)
    return [(statistics.median(w), max(p)) for w, p in zip(walls, peaks)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big-users", type=int, default=200_000)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--flat", action="store_true",
                    help="also measure profile-lint's peak memory on 20 MB, 213 MB and 2 GB files")
    ap.add_argument("--huge", action="store_true",
                    help="also measure the peak memory of one 10 GB capture (10 million users)")
    a = ap.parse_args()
    if not a.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "profile-lint", "--example",
                        "plain_jsonschema", "--example", "gen_corpus", "--example", "parse_floor"],
                       cwd=ROOT, check=True)
    os.makedirs(BENCH, exist_ok=True)
    big, big_size = generate("big-valid", a.big_users, 1, seed=1)
    bad, bad_size = generate("big-1pct-invalid", a.big_users, 1, invalid_rate=0.01, seed=2)
    many, many_size = generate("many-small", 20, 2000, seed=3)
    one = many[:1]
    # Inputs only profile-lint reads: 6,000 entries of a working session of the app (50 of them
    # GET /profile/ with 20 users each, the rest mostly base64 images), and one compact
    # response of one user a line.
    har, har_size = generate("browser-session", 20, 1, seed=6, fmt="har",
                             extra=["--entries", "6000", "--profile-entries", "50"])
    lines, lines_size = generate("json-lines", 1, 1, seed=7, fmt="jsonl", extra=["--lines", "200000"])
    cases = [
        ("one big file, all valid", big, big_size, a.big_users, 0.2),
        ("one big file, 1% invalid", bad, bad_size, a.big_users, 0.25),
        ("2,000 files of 20 users", many, many_size, 40_000, 0.4),
        ("one small file (pre-commit)", one, os.path.getsize(one[0]), 20, 1.2),
    ]
    # A run of a few milliseconds varies by a third from one to the next here: the small file
    # takes the median of many runs.
    runs_of = {"one small file (pre-commit)": max(a.runs, 201)}
    # profile-lint alone; its goals: peak MiB, and wall seconds where there is one.
    alone = [
        ("336 MB browser-session HAR", har, har_size, 64, 4.6),
        ("200,000 JSON lines", lines, lines_size, 64, None),
    ]
    print(f"cores: {os.cpu_count()}; runs per case: {a.runs}, the small file {runs_of[cases[3][0]]}, "
          "the two tools in turns (median wall, largest peak RSS)")
    print(f"{'case':<30} {'tool':<14} {'wall s':>8} {'MB/s':>8} {'users/s':>11} {'peak MiB':>9} {'ratio':>7} {'goal':>6}")
    for name, paths, size, users, goal in cases:
        # The same files, named the same way, for both; profile-lint writes its JSON report.
        lint = [LINT, "--format", "json", "--no-config"]
        runs = runs_of.get(name, a.runs)
        (base_wall, base_peak), (lint_wall, lint_peak) = measure_pair([BASELINE] + paths, lint + paths, runs)
        for tool, wall, peak in (("baseline", base_wall, base_peak), ("profile-lint", lint_wall, lint_peak)):
            ratio = wall / base_wall
            mark = "" if tool == "baseline" else ("ok" if ratio <= goal else "MISSED")
            print(f"{name:<30} {tool:<14} {wall:>8.3f} {size / 1e6 / wall:>8.1f} {users / wall:>11,.0f} "
                  f"{peak:>9.1f} {ratio:>7.2f} {(('<=' + str(goal)) if tool != 'baseline' else ''):>6} {mark}")

    print()
    print("profile-lint alone (no baseline reads these):")
    print(f"{'case':<30} {'wall s':>8} {'MB/s':>8} {'peak MiB':>9}  goal")
    for name, paths, size, peak_goal, wall_goal in alone:
        wall, peak = measure([LINT, "--format", "json", "--no-config"] + paths, a.runs)
        goals = [f"peak <= {peak_goal} MiB {'ok' if peak <= peak_goal else 'MISSED'}"]
        if wall_goal:
            goals.append(f"wall <= {wall_goal} s {'ok' if wall <= wall_goal else 'MISSED'}")
        print(f"{name:<30} {wall:>8.3f} {size / 1e6 / wall:>8.1f} {peak:>9.1f}  {', '.join(goals)}")

    # The physical floor: serde_json parsing the same bytes into IgnoredAny, on one core.
    floor = cpu([FLOOR] + big, a.runs)
    total = cpu([LINT, "--format", "json", "--no-config"] + big, a.runs)
    print()
    print(f"CPU floor, {big_size / 1e6:.0f} MB capture: serde_json IgnoredAny {floor:.2f} s, "
          f"profile-lint {total:.2f} s of CPU on all cores: {total / floor:.1f}x (goal <= 5x)")

    if a.flat:
        print()
        print("peak memory by file size (profile-lint only):")
        for users in (20_000, 200_000, 2_000_000):
            paths, size = generate(f"flat-{users}", users, 1, seed=5)
            wall, peak = measure([LINT, "--format", "json", "--no-config"] + paths, 1)
            print(f"  {users:>9,} users {size / 1e6:>8.0f} MB: {wall:7.2f} s, peak {peak:6.1f} MiB")

    if a.huge:
        path, size = huge()
        print()
        for name, extra in (("all rules", []), ("without R001", ["-A", "duplicate-user-id"])):
            wall, peak = measure([LINT, "--format", "json", "--no-config", *extra, path], 1)
            goal = f" (goal <= 64 MiB {'ok' if peak <= 64 else 'MISSED'})" if not extra else ""
            print(f"{size / 1e9:.1f} GB capture, 10 million users, {name}: {wall:.1f} s, "
                  f"peak {peak:.1f} MiB{goal}")


def huge():
    """One capture of ten million users with distinct ids: five generated 2,000,000-user arrays
    (seeds 21 to 25), joined into one array."""
    out = os.path.join(BENCH, "huge-10gb")
    path = os.path.join(out, "capture.json")
    if not os.path.exists(path):
        os.makedirs(out, exist_ok=True)
        with open(path + ".part", "wb") as joined:
            for n, seed in enumerate(range(21, 26)):
                paths, _ = generate(f"huge-part-{seed}", 2_000_000, 1, seed=seed)
                joined.write(b"[" if n == 0 else b",")
                copy_array_body(paths[0], joined)
                for p in os.listdir(os.path.dirname(paths[0])):
                    os.remove(os.path.join(os.path.dirname(paths[0]), p))
            joined.write(b"]\n")
        os.rename(path + ".part", path)
    return path, os.path.getsize(path)


def copy_array_body(path, out):
    """Copies what is between the first `[` and the last `]` of the file at `path` to `out`, a
    piece at a time: a process that once held gigabytes passes that peak on to every child it
    starts (Linux counts a forked child's peak RSS from its parent's), which would be measured
    as profile-lint's."""
    piece = 1 << 24
    with open(path, "rb") as part:
        head = part.read(piece)
        start = head.index(b"[") + 1
        part.seek(max(0, os.path.getsize(path) - piece))
        tail = part.read()
        end = os.path.getsize(path) - len(tail) + tail.rindex(b"]")
        part.seek(start)
        left = end - start
        while left > 0:
            data = part.read(min(piece, left))
            out.write(data)
            left -= len(data)


if __name__ == "__main__":
    main()
