#!/usr/bin/python3
"""Measures a migration on the running platform: loads a collection of texts and images (media original), moves it
to the second model, and prints the migration's rate beside the rate of the initial load (embedding with the
default model through the public API), measured in the same run.

usage: scripts/bench_migration.py [--texts N] [--images M] [--model ID] [--url URL] [--key KEY]
Needs ./sightline up (which serves sightline/tiny-clip-p96 beside the default). Deletes its collection at the end.
A benchmark, not a test: standard library only.
"""
import argparse
import base64
import os
import sys
import time
import uuid

from sightline_api import Client, default_key, default_url, segment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = ["wide.png", "tall.jpg", "large.jpg", "exif-rotated.jpg", "palette.png", "gray.jpg"]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--texts", type=int, default=2000)
    p.add_argument("--images", type=int, default=200)
    p.add_argument("--model", default="sightline/tiny-clip-p96")
    p.add_argument("--url", default=default_url())
    p.add_argument("--key", default=None)
    args = p.parse_args()
    client = Client(args.url, args.key or default_key())
    name = "bench-migration-" + uuid.uuid4().hex[:8]
    client.call("POST", "/v1/collections", {"name": name, "media": "original"})
    path = f"/v1/collections/{segment(name)}"
    images = []
    for f in FIXTURES:
        with open(os.path.join(ROOT, "models", "fixtures", "parity", "images", f), "rb") as fh:
            images.append(base64.b64encode(fh.read()).decode("ascii"))
    try:
        started = time.monotonic()
        for start in range(0, args.texts, 200):
            items = [{"id": f"t-{i:06d}", "text": f"note number {i}: a {['red', 'blue', 'green'][i % 3]} shape"}
                     for i in range(start, min(args.texts, start + 200))]
            client.call("POST", path + "/items", {"items": items})
        for start in range(0, args.images, 32):
            items = [{"id": f"i-{i:06d}", "image": images[i % len(images)]}
                     for i in range(start, min(args.images, start + 32))]
            client.call("POST", path + "/items", {"items": items})
        load_seconds = time.monotonic() - started
        total = args.texts + args.images
        print(f"loaded {args.texts} texts and {args.images} images in {load_seconds:.1f} s: "
              f"{total / load_seconds:.1f} items/s (embedded by the default model through the API)")

        started = time.monotonic()
        _, job = client.call("POST", path + "/migrations", {"model": args.model})
        while job["state"] in ("queued", "running"):
            time.sleep(0.5)
            _, job = client.call("GET", f"{path}/migrations/{job['id']}")
            print(f"  {job['state']}: {job['done']} of {job['total']}, {job.get('rate', 0)} items/s",
                  file=sys.stderr)
        wall = time.monotonic() - started
        if job["state"] != "succeeded":
            print(f"migration {job['state']}: {job.get('error')}")
            return 1
        rate = total / wall
        print(f"migrated {total} items to {args.model} in {wall:.1f} s: {rate:.1f} items/s "
              f"(job's own rate {job.get('rate')} items/s); ratio to the load: {rate / (total / load_seconds):.2f}")
        return 0
    finally:
        client.call("DELETE", path, ok=(204, 404))


if __name__ == "__main__":
    sys.exit(main())
