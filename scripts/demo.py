#!/usr/bin/python3
"""Loads a demo collection of seeded coloured-shape images and captions into Sightline and runs example searches.

usage: scripts/demo.py [--url URL] [--key KEY] [--collection NAME] [--images N] [--seed SEED]

Standard library + PIL + numpy only (the shapes generator in models/scripts). Re-running is harmless: the item ids
depend only on the item's index and class, so a second run replaces (upserts) the same items.
"""
import argparse
import base64
import io
import json
import math
import os
import shlex
import sys
import tempfile
import queue
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "models", "scripts"))

import shapes  # noqa: E402  (models/scripts/shapes.py)

MODEL = "sightline/tiny-clip"
MAX_IMAGES_PER_REQUEST = 64            # API limit: images per upsert request
MAX_BODY_BYTES = 24 * 1024 * 1024      # stay well under the 32 MiB request body limit
TEXT_QUERY = "a photo of a red circle."
RETRIES = 6                            # for 429 / 503 answers (Retry-After honoured)


class DemoError(Exception):
    pass


def default_key():
    path = os.path.join(ROOT, ".sightline", "dev-key")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return os.environ.get("SIGHTLINE_KEY", "")


class Client:
    def __init__(self, url, key):
        self.url = url.rstrip("/")
        self.key = key

    def call(self, method, path, body=None):
        """One JSON request; returns (status, parsed body). Raises DemoError on an HTTP error or no connection."""
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        for attempt in range(RETRIES + 1):
            req = urllib.request.Request(self.url + path, data=data, method=method)
            req.add_header("Authorization", "Bearer " + self.key)
            req.add_header("Accept", "application/json, application/problem+json")
            if data is not None:
                req.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(req, timeout=300) as resp:
                    raw = resp.read()
                    return resp.status, (json.loads(raw) if raw else None)
            except urllib.error.HTTPError as e:
                raw = e.read().decode("utf-8", "replace")
                if e.code in (429, 503) and attempt < RETRIES:
                    wait = _retry_after(e.headers.get("Retry-After"), attempt)
                    print(f"  {method} {path}: HTTP {e.code}, retrying in {wait:g}s", file=sys.stderr)
                    time.sleep(wait)
                    continue
                try:
                    pretty = json.dumps(json.loads(raw), indent=2)
                except ValueError:
                    pretty = raw
                raise DemoError(f"{method} {path} failed: HTTP {e.code} {e.reason}\n{pretty}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                reason = getattr(e, "reason", e)
                raise DemoError(f"cannot reach the gateway at {self.url} ({reason}); "
                                f"is the platform running? (./sightline up)") from None
        raise AssertionError("unreachable")


def _retry_after(value, attempt):
    try:
        return min(max(float(value), 0.5), 30.0)
    except (TypeError, ValueError):
        return min(2.0 ** attempt, 30.0)


def png_base64(img):
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def make_item_pair(i, seed):
    """Image item and caption item number i: class i mod 40, an RNG seeded by (seed, i)."""
    colour, shape = shapes.CLASSES[i % len(shapes.CLASSES)]
    rng = shapes.seeded(seed * 1_000_003 + i)
    img, info = shapes.render(colour, shape, rng, fmt="PNG")
    text = shapes.caption(info, rng)
    stem = f"{i:05d}-{colour}-{shape}"
    image_item = {"id": f"img-{stem}", "image": png_base64(img),
                  "metadata": {"colour": colour, "shape": shape, "kind": "image"}}
    caption_item = {"id": f"cap-{stem}", "text": text,
                    "metadata": {"colour": colour, "shape": shape, "kind": "caption"}}
    return image_item, caption_item


def batches(n, seed):
    """Yields lists of (image item, caption item) pairs: at most 64 images and about 24 MB of base64 per request."""
    batch, size = [], 0
    for i in range(n):
        pair = make_item_pair(i, seed)
        item_bytes = len(pair[0]["image"]) + len(pair[1]["text"]) + 256
        if batch and (len(batch) >= MAX_IMAGES_PER_REQUEST or size + item_bytes > MAX_BODY_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(pair)
        size += item_bytes
    if batch:
        yield batch


def prefetched(gen):
    """Runs a generator in a background thread, one item ahead, so the next batch renders while one uploads."""
    q = queue.Queue(maxsize=1)
    done = object()

    def run():
        try:
            for x in gen:
                q.put((True, x))
        except BaseException as e:  # handed to the consumer
            q.put((False, e))
        q.put((True, done))

    threading.Thread(target=run, daemon=True).start()
    while True:
        ok, x = q.get()
        if not ok:
            raise x
        if x is done:
            return
        yield x


def load(client, collection, n, seed):
    status, body = client.call("POST", "/v1/collections", {"name": collection})
    what = "created" if status == 201 else "exists"
    print(f"collection '{collection}' {what} (dimension {body.get('dimension')}, model {body.get('model')})")
    path = f"/v1/collections/{urllib.parse.quote(collection, safe='')}/items"
    images = captions = 0
    started = time.monotonic()
    for batch in prefetched(batches(n, seed)):
        items = [p[0] for p in batch] + [p[1] for p in batch]
        _, body = client.call("POST", path, {"items": items})
        if body.get("upserted") != len(items):
            raise DemoError(f"POST {path}: expected upserted={len(items)}, got {body}")
        images += len(batch)
        captions += len(batch)
        print(f"loaded {images}/{n} images, {captions}/{n} captions", flush=True)
    print(f"loaded {n} images and {n} captions into '{collection}' in {time.monotonic() - started:.1f}s")


def show_results(results, with_text):
    if not results:
        print("  (no results)")
    for r in results:
        md = r.get("metadata") or {}
        label = f"{md.get('colour', '?')} {md.get('shape', '?')}"
        extra = f"  \"{r.get('text')}\"" if with_text else ""
        print(f"  {r['score']:+.4f}  {r['id']:<28} {label}{extra}")


def searches(client, collection, seed):
    cpath = f"/v1/collections/{urllib.parse.quote(collection, safe='')}"

    print(f"\n[1] text-to-image: \"{TEXT_QUERY}\" (top 3)")
    _, body = client.call("POST", cpath + "/text-to-image", {"text": TEXT_QUERY, "top_k": 3})
    show_results(body["results"], with_text=False)
    hits = sum(1 for r in body["results"]
               if (r.get("metadata") or {}).get("colour") == "red" and (r.get("metadata") or {}).get("shape") == "circle")
    print(f"  -> {hits}/{len(body['results'])} of the top results are red circles")

    # A fresh blue star, never uploaded (its own seed stream).
    rng = shapes.seeded(seed * 1_000_003 + 999_983)
    star, _ = shapes.render("blue", "star", rng, fmt="PNG")
    star_b64 = png_base64(star)
    star_file = os.path.join(tempfile.gettempdir(), "sightline-demo-blue-star.png")
    with open(star_file, "wb") as f:
        f.write(base64.b64decode(star_b64))
    print(f"\n[2] image-to-text: a freshly generated blue star ({star.size[0]}x{star.size[1]}, saved as {star_file}) (top 3)")
    _, body = client.call("POST", cpath + "/image-to-text", {"image": star_b64, "top_k": 3})
    show_results(body["results"], with_text=True)

    emb_text = "a photo of a blue star."
    print(f"\n[3] /v1/embeddings: the text \"{emb_text}\" and the blue star image (content parts)")
    _, body = client.call("POST", "/v1/embeddings", {
        "model": MODEL,
        "input": [{"type": "text", "text": emb_text},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64," + star_b64}}],
        "encoding_format": "float"})
    vecs = [d["embedding"] for d in sorted(body["data"], key=lambda d: d["index"])]
    for name, v in zip(("text", "image"), vecs):
        norm = math.sqrt(sum(x * x for x in v))
        head = ", ".join(f"{x:+.4f}" for x in v[:4])
        print(f"  {name:<5} dim {len(v)}  norm {norm:.4f}  [{head}, ...]")
    if len(vecs) == 2:
        print(f"  cosine(text, image) = {sum(a * b for a, b in zip(*vecs)):+.4f}"
              f"   model {body.get('model')}, usage {json.dumps(body.get('usage'))}")
    return star_file, emb_text


def print_curls(url, collection, star_file, emb_text):
    base = url.rstrip("/")
    coll = urllib.parse.quote(collection, safe="")
    auth = '-H "Authorization: Bearer $SIGHTLINE_KEY"'
    ctype = "-H 'Content-Type: application/json'"
    t2i = json.dumps({"text": TEXT_QUERY, "top_k": 3})
    emb = json.dumps({"model": MODEL, "input": emb_text})
    q = shlex.quote
    print("\nTry it yourself:")
    print(f"  export SIGHTLINE_KEY=\"$(cat {q(os.path.join(ROOT, '.sightline', 'dev-key'))})\"")
    print(f"  curl -s {auth} {ctype} -d {q(t2i)} {base}/v1/collections/{coll}/text-to-image")
    print(f"  curl -s {auth} {ctype} -d \"{{\\\"image\\\":\\\"$(base64 -w0 {q(star_file)})\\\",\\\"top_k\\\":3}}\" "
          f"{base}/v1/collections/{coll}/image-to-text")
    print(f"  curl -s {auth} {ctype} -d {q(emb)} {base}/v1/embeddings")


def main(argv=None):
    p = argparse.ArgumentParser(description="Load seeded coloured-shape images and captions into Sightline "
                                            "and run example searches.")
    p.add_argument("--url", default="http://127.0.0.1:8080", help="gateway URL (default %(default)s)")
    p.add_argument("--key", default=None, help="API key (default: the contents of .sightline/dev-key)")
    p.add_argument("--collection", default="demo", help="collection name (default %(default)s)")
    p.add_argument("--images", type=int, default=200, help="number of images, and of captions (default %(default)s)")
    p.add_argument("--seed", type=int, default=2026, help="generator seed (default %(default)s)")
    args = p.parse_args(argv)
    if args.images < 1:
        p.error("--images must be at least 1")
    key = args.key if args.key is not None else default_key()
    if not key:
        p.error(f"no API key: pass --key or start the platform (./sightline up writes "
                f"{os.path.join(ROOT, '.sightline', 'dev-key')})")

    client = Client(args.url, key)
    started = time.monotonic()
    try:
        load(client, args.collection, args.images, args.seed)
        star_file, emb_text = searches(client, args.collection, args.seed)
    except DemoError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print_curls(args.url, args.collection, star_file, emb_text)
    print(f"\ndone in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
