#!/usr/bin/env python3
"""Wall time and peak memory of profile-lint on hostile inputs (the shapes of tests/it/hostile.rs,
at full size). A measurement, not a test: it prints figures and never fails on them.

    python3 bench/hostile.py [--runs 3] [--skip-build]

Inputs are written to target/bench/hostile/ (once, then reused). Every run is a release build
with the default --max-per-rule (10,000), except where a case says otherwise.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import LINT, ROOT, measure  # noqa: E402

OUT = os.path.join(ROOT, "target", "bench", "hostile")

USER = ('{"id": "Kc7VtR2pWq9ZxNb4Ms8HdJ", "email": "api-bot@example.com", "name": "CI pipeline", '
        '"title": "other", "is_billing_admin": false, "changed_by": {"id": "3kTMd8RqLwZs5VbNc2HxJe", '
        '"email": "joao.santos@example.com", "name": "Joao Santos"}, "changed": "2023-08-09T13:27:43.8208302", '
        '"active": true, "user_roles": "admin", "last_login": null, "is_apiuser": true, '
        '"intercom_user_id": "7HFbzkQ5T2ZtqNvK9mWxYp", "is_sso": false, "is_owner": true, '
        '"mfa_enabled": true, "first_login": null')


def inputs():
    """(name, text builder) for each input file."""
    many = 1_000_000
    return [
        ("numbers-1m.json", lambda: "[" + ",".join(["1"] * many) + "]"),
        ("numbers-10m.json", lambda: "[" + ",".join(["1"] * (10 * many)) + "]"),
        ("repeated-key-1m.json", lambda: "[" + USER + "," + ",".join(['"labels": []'] * many) + "}]"),
        ("keys-1m.json", lambda: "[" + USER + "," + ",".join(f'"k{i}": 1' for i in range(many)) + "}]"),
        ("labels-lacking-fields-1m.json", lambda: "[" + USER + ', "labels": [' + ",".join(["{}"] * many) + "]}]"),
        ("name-50mb.json", lambda: '[{"id": "2C5zbUFu3VDn", "name": "' + "a" * (50 << 20) + '"}]'),
        ("nesting-10m.json", lambda: "[" * (10 * many)),
        ("lines-300k.jsonl", lambda: "{}\n" * 300_000),
    ]


CASES = [
    # (input, extra arguments, what is measured)
    ("numbers-1m.json", ["--format", "json"], "1M failing items, JSON"),
    ("numbers-1m.json", [], "1M failing items, human"),
    ("numbers-1m.json", ["--format", "json", "--max-per-rule", "0"], "1M failing items, JSON, all kept"),
    ("numbers-10m.json", ["--format", "json"], "10M failing items (streamed), JSON"),
    ("repeated-key-1m.json", ["--format", "json"], "one key repeated 1M times"),
    ("keys-1m.json", ["--format", "json"], "a user with 1M undocumented keys"),
    ("labels-lacking-fields-1m.json", ["--format", "json"], "1M labels lacking their fields"),
    ("name-50mb.json", ["--format", "json"], "a 50 MB name"),
    ("nesting-10m.json", ["--format", "json"], "10M levels of nesting"),
    ("lines-300k.jsonl", ["--format", "json"], "300,000 JSON lines, each failing"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--write-inputs", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.write_inputs:
        os.makedirs(OUT, exist_ok=True)
        for name, build in inputs():
            path = os.path.join(OUT, name)
            if not os.path.exists(path):
                with open(path, "w") as f:
                    f.write(build())
        return
    if not a.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    # Written by a child process: a forked child starts with its parent's resident memory, so
    # a parent that held these texts would inflate every peak measured after.
    subprocess.run([sys.executable, __file__, "--write-inputs"], check=True)
    print(f"{os.cpu_count()} cores, {a.runs} runs each (median wall time, largest peak RSS)\n")
    print("| case | size | findings | wall | peak |")
    print("|---|---|---|---|---|")
    for name, extra, what in CASES:
        path = os.path.join(OUT, name)
        argv = [LINT, path, "--no-config", *extra]
        wall, peak = measure(argv, a.runs)
        report = subprocess.run([LINT, path, "--no-config", "--format", "json"], capture_output=True)
        summary = json.loads(report.stdout)["summary"]
        findings = summary["errors"] + summary["warnings"]
        size = os.path.getsize(path) / 1e6
        print(f"| {what} | {size:.1f} MB | {findings:,} | {wall:.2f} s | {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
