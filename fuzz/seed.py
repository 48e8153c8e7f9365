#!/usr/bin/env python3
"""Writes the fuzz target's seed corpus from the project's `corpus/`: each file, prefixed with
the byte that makes the target read it in its own format (see fuzz_targets/lint_bytes.rs)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PICK = {".json": 0, ".har": 1, ".http": 2, ".txt": 2, ".jsonl": 3}
out = os.path.join(HERE, "corpus", "lint_bytes")
os.makedirs(out, exist_ok=True)
count = 0
for root, _, files in os.walk(os.path.join(HERE, "..", "corpus")):
    for name in sorted(files):
        pick = PICK.get(os.path.splitext(name)[1], 4)
        with open(os.path.join(root, name), "rb") as f:
            data = f.read()
        with open(os.path.join(out, f"seed-{count:04}"), "wb") as f:
            f.write(bytes([pick]) + data)
        count += 1
print(f"{count} seeds in {os.path.relpath(out)}")
