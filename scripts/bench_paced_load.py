#!/usr/bin/python3
"""Measures a load sent as many bulk requests with pauses between them, on the running platform: once as plain
requests, once with more=true on every request but the last, into new collections of the same vectors. Prints,
for each, the time spent in requests, how long after the last answer the search index was ready, and the whole
load from its first request to a ready index, with the ratio of the two ways measured in the same run.

The pauses stand for a client that produces its vectors as it goes (embedding each batch elsewhere, say): without
more=true a pause past the index builder's quiet period (2 s) ends the load as far as the platform can tell, and a
request of fewer than 10,000 items never leaves the index out at all.

usage: scripts/bench_paced_load.py [--vectors N (50000)] [--batch B (5000)] [--pause S (3)] [--dimension D (512)]
                                   [--seed N (7)] [--url URL] [--key KEY]
Needs ./sightline up. Deletes its collections at the end. A benchmark, not a test: standard library only.
"""
import argparse
import random
import sys
import time
import uuid

from sightline_api import Client, default_key, default_url, segment


def bodies(vectors, batch, dimension, seed):
    """The NDJSON bodies, one per request: random vectors (uniform in [-1, 1) per component), ids v-000000 on."""
    rng = random.Random(seed)
    out = []
    for start in range(0, vectors, batch):
        lines = []
        for i in range(start, min(vectors, start + batch)):
            v = ",".join("%.5f" % (rng.random() * 2 - 1) for _ in range(dimension))
            lines.append('{"id":"v-%06d","vector":[%s],"modality":"image"}' % (i, v))
        out.append(("\n".join(lines) + "\n").encode("ascii"))
    return out


def load(client, name, dimension, requests, pause, more):
    """One way of loading; returns (seconds in requests, seconds from the last answer to a ready index, total)."""
    client.call("POST", "/v1/collections", {"name": name, "dimension": dimension, "model": "bench/random",
                                            "media": "none"})
    path = f"/v1/collections/{segment(name)}"
    in_requests = 0.0
    first = time.monotonic()
    for k, body in enumerate(requests):
        if k > 0:
            time.sleep(pause)
        last = k == len(requests) - 1
        query = "" if not more else ("?more=false" if last else "?more=true")
        t0 = time.monotonic()
        _, answer = client.ndjson(path + "/items/bulk" + query, body)
        took = time.monotonic() - t0
        in_requests += took
        _, col = client.call("GET", path)
        index = col["index"]["state"]
        print(f"  request {k + 1}/{len(requests)}: {answer['upserted']} items in {took:.2f} s; index {index}",
              file=sys.stderr)
    answered = time.monotonic()
    while True:
        _, col = client.call("GET", path)
        if col["index"]["state"] == "ready":
            break
        time.sleep(0.25)
    ready = time.monotonic()
    total = sum(col["counts"].values())
    if total != sum(b.count(b"\n") for b in requests):
        raise SystemExit(f"{name}: {total} items stored, not every one sent")
    return in_requests, ready - answered, ready - first


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--vectors", type=int, default=50000)
    p.add_argument("--batch", type=int, default=5000)
    p.add_argument("--pause", type=float, default=3.0)
    p.add_argument("--dimension", type=int, default=512)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--url", default=default_url())
    p.add_argument("--key", default=None)
    args = p.parse_args()
    client = Client(args.url, args.key or default_key())
    t0 = time.monotonic()
    requests = bodies(args.vectors, args.batch, args.dimension, args.seed)
    print(f"{args.vectors:,} random {args.dimension}-d vectors in {len(requests)} requests of up to "
          f"{args.batch:,}, {args.pause:g} s between them (bodies made in {time.monotonic() - t0:.1f} s, before "
          f"the clock)")
    tag = uuid.uuid4().hex[:8]
    results = {}
    for way, more in (("plain", False), ("more", True)):
        name = f"bench-paced-{way}-{tag}"
        print(f"{way}: {'more=true on every request but the last' if more else 'no more parameter'}",
              file=sys.stderr)
        try:
            results[way] = load(client, name, args.dimension, requests, args.pause, more)
        finally:
            client.call("DELETE", f"/v1/collections/{segment(name)}", ok=(204, 404))
    pauses = args.pause * (len(requests) - 1)
    print(f"\n| way | in requests s | index ready after the last answer s | first request to ready index s |")
    print("|---|---:|---:|---:|")
    for way, (req, after, total) in results.items():
        print(f"| {way} | {req:.1f} | {after:.1f} | {total:.1f} |")
    plain, more = results["plain"], results["more"]
    print(f"\npauses: {pauses:.0f} s of each total. more / plain: in requests {more[0] / plain[0]:.2f}x, "
          f"first request to ready index {more[2] / plain[2]:.2f}x; without the pauses "
          f"{(more[2] - pauses) / (plain[2] - pauses):.2f}x")


if __name__ == "__main__":
    main()
