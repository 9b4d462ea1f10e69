#!/usr/bin/python3
"""What keeping thumbnails costs embed-service: POST /embed/image with and without {"thumbnails": true,
"sources": true}, same image, same concurrency, rounds alternated (A B A B ...) so that drift hits both alike.

usage: thumbnail_cost.py [--url URL] [--token-file FILE] [--seconds S] [--rounds N] [--concurrency C] IMAGE...
Needs a running embed-service (./sightline up). Prints images/s and p50 per image and mode, and the ratio
with/without. A benchmark, not a test: standard library only.
"""
import argparse
import base64
import json
import os
import statistics
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def post(url, token, body):
    req = urllib.request.Request(url, data=body, method="POST")
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=120) as resp:
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {data[:200]!r}")
        return data


def load(url, token, body, seconds, concurrency):
    """Closed loop for `seconds`: returns (requests per second, p50 ms)."""
    latencies, lock, stop = [], threading.Lock(), time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            post(url, token, body)
            with lock:
                latencies.append(time.perf_counter() - t0)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.monotonic() - started), 1000 * statistics.median(latencies)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("images", nargs="+")
    p.add_argument("--url", default="http://127.0.0.1:" + os.environ.get("SIGHTLINE_EMBED_PORT", "8081"))
    p.add_argument("--token-file", default=os.path.join(ROOT, ".sightline", "internal-token"))
    p.add_argument("--seconds", type=float, default=5.0, help="per round (default %(default)s)")
    p.add_argument("--rounds", type=int, default=3, help="rounds per mode (default %(default)s)")
    p.add_argument("--concurrency", type=int, default=4, help="requests in flight (default %(default)s)")
    args = p.parse_args()
    with open(args.token_file, encoding="utf-8") as f:
        token = f.read().strip()
    url = args.url.rstrip("/") + "/embed/image"
    print(f"embed-service {args.url}, {args.rounds} x {args.seconds:g} s per mode, concurrency {args.concurrency}")
    print(f"{'image':<22} {'mode':<22} {'images/s':>9} {'p50 ms':>8} {'ratio':>7}")
    for path in args.images:
        with open(path, "rb") as f:
            b64 = base64.b64encode(f.read()).decode("ascii")
        bodies = {"vector only": json.dumps({"images": [b64]}).encode(),
                  "+ thumbnail + sha256": json.dumps({"images": [b64], "thumbnails": True, "sources": True}).encode()}
        thumb = json.loads(post(url, token, bodies["+ thumbnail + sha256"]))
        size = len(base64.b64decode(thumb["thumbnails"][0]["data"]))
        for body in bodies.values():  # warm-up
            load(url, token, body, min(2.0, args.seconds), args.concurrency)
        runs = {mode: [] for mode in bodies}
        for _ in range(args.rounds):
            for mode, body in bodies.items():
                runs[mode].append(load(url, token, body, args.seconds, args.concurrency))
        base_rate = statistics.median(r for r, _ in runs["vector only"])
        for mode, results in runs.items():
            rate = statistics.median(r for r, _ in results)
            p50 = statistics.median(l for _, l in results)
            print(f"{os.path.basename(path):<22} {mode:<22} {rate:>9.1f} {p50:>8.2f} {rate / base_rate:>7.3f}")
        print(f"{'':<22} (thumbnail {size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
