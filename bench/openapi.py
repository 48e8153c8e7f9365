#!/usr/bin/env python3
"""How long a HAR of thousands of entries takes against an OpenAPI document of hundreds of
paths (--openapi), next to the same HAR checked today (the /profile/ entries against the
embedded schema). It is a measurement, not a test: it prints figures and never fails on them.

    python3 bench/openapi.py [--entries 5000] [--paths 300] [--runs 3] [--skip-build]

The inputs are generated into target/bench/openapi/ (a document, and a HAR whose entries call
its paths, a tenth of them GET /profile/).
"""
import argparse
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import measure  # noqa: E402  the same measure as the other benchmarks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "bench", "openapi")
LINT = os.path.join(ROOT, "target", "release", "profile-lint")
PROFILE = os.path.join(ROOT, "corpus", "openapi", "probely-profile.yaml")


def document(paths):
    """An OpenAPI 3.1 document: GET /profile/ as the corpus transcribes it, and `paths` more."""
    import yaml  # PyYAML, to read the corpus document
    profile = yaml.safe_load(open(PROFILE))
    item = {"type": "object", "required": ["id", "name", "count"], "properties": {
        "id": {"type": "string", "pattern": "^[1-9A-HJ-NP-Za-km-z]+$"},
        "name": {"type": "string", "maxLength": 60},
        "count": {"type": "integer", "format": "int32"},
        "tags": {"type": "array", "items": {"type": "string"}}}}
    spec = {"openapi": "3.1.0", "info": {"title": "bench", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "paths": {"/profile/": profile["paths"]["/profile/"]},
            "components": {"schemas": {"Item": item, **profile["components"]["schemas"]}}}
    for i in range(paths):
        spec["paths"][f"/things{i}/{{thing_id}}/parts/{{part_id}}/"] = {"get": {"responses": {
            "200": {"content": {"application/json": {"schema": {
                "type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}}}}}
    return spec


def har(entries, paths, rng, every=10):
    users = json.load(open(os.path.join(ROOT, "corpus", "valid", "documented-array.json")))
    profile = json.dumps(users)
    log = []
    for i in range(entries):
        if i % every == 0:
            url, text = "https://api.example.com/profile/", profile
        else:
            n = rng.randrange(paths)
            url = f"https://api.example.com/things{n}/T{i}/parts/P{i}/"
            items = [{"id": "Abc" + "xyz"[j % 3] * (1 + j), "name": f"part {j}", "count": j,
                      "tags": ["a", "b"]} for j in range(20)]
            text = json.dumps(items)
        log.append({
            "startedDateTime": "2026-11-29T10:00:00.000Z", "time": 1,
            "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1", "headers": [],
                        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Content-Type", "value": "application/json"}],
                         "cookies": [], "content": {"size": len(text), "mimeType": "application/json",
                                                    "text": text},
                         "redirectURL": "", "headersSize": -1, "bodySize": len(text)},
            "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}})
    return {"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": log}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--paths", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    if not args.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(OUT, exist_ok=True)
    spec_path = os.path.join(OUT, f"api-{args.paths}.json")
    har_path = os.path.join(OUT, f"recording-{args.entries}.har")
    json.dump(document(args.paths), open(spec_path, "w"))
    json.dump(har(args.entries, args.paths, random.Random(1)), open(har_path, "w"))
    # The same number of entries, every one GET /profile/: what a HAR checked whole takes today.
    all_path = os.path.join(OUT, f"profile-{args.entries}.har")
    json.dump(har(args.entries, args.paths, random.Random(1), every=1), open(all_path, "w"))
    size = os.path.getsize(har_path) / 1e6
    print(f"cores: {os.cpu_count()}; runs per case: {args.runs} (median wall, largest peak RSS)")
    print(f"HAR: {args.entries:,} entries, {size:.1f} MB; document: {args.paths + 1} paths")
    base = [LINT, "--no-config", "--format", "json", har_path]
    today, today_peak = measure(base, args.runs)
    print(f"{'today (GET /profile/ entries only)':40} {today:7.3f} s {today_peak:8.1f} MiB")
    whole, whole_peak = measure([LINT, "--no-config", "--format", "json", all_path], args.runs)
    all_size = os.path.getsize(all_path) / 1e6
    print(f"{f'today, every entry GET /profile/ ({all_size:.1f} MB)':40} {whole:7.3f} s {whole_peak:8.1f} MiB")
    wide, wide_peak = measure(base + ["--openapi", spec_path], args.runs)
    print(f"{'--openapi (every entry)':40} {wide:7.3f} s {wide_peak:8.1f} MiB")
    print(f"ratio --openapi / today, every entry checked: {wide / whole:.2f}")


if __name__ == "__main__":
    main()
