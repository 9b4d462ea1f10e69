#!/usr/bin/python3
"""Loads a demo collection of seeded coloured-shape images and captions into Sightline and runs example searches.

usage: scripts/demo.py [--url URL] [--key KEY] [--collection NAME] [--images N] [--seed SEED]
       scripts/demo.py --write-images DIR [--images N] [--seed SEED]   (the same images as PNG files, no upload)

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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "models", "scripts"))

import shapes  # noqa: E402  (models/scripts/shapes.py)
from sightline_api import ApiError, Client, default_key, segment  # noqa: E402  (scripts/sightline_api.py)

MODEL = "sightline/tiny-clip"
MAX_IMAGES_PER_REQUEST = 64            # API limit: images per upsert request
MAX_BODY_BYTES = 24 * 1024 * 1024      # stay well under the 32 MiB request body limit
TEXT_QUERY = "a photo of a red circle."


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


def write_images(folder, n, seed):
    """Writes the demo's n images as PNG files named like their items (00003-green-star.png); uploads nothing."""
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        image_item, _ = make_item_pair(i, seed)
        with open(os.path.join(folder, image_item["id"][len("img-"):] + ".png"), "wb") as f:
            f.write(base64.b64decode(image_item["image"]))
    print(f"wrote {n} images to {folder}")


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
    print(f"collection '{collection}' {what} (dimension {body.get('dimension')}, model {body.get('model')}, "
          f"keeps media: {body.get('media')})")
    path = f"/v1/collections/{segment(collection)}/items"
    images = captions = 0
    started = time.monotonic()
    for batch in prefetched(batches(n, seed)):
        items = [p[0] for p in batch] + [p[1] for p in batch]
        _, body = client.call("POST", path, {"items": items})
        if body.get("upserted") != len(items):
            raise ApiError(f"POST {path}: expected upserted={len(items)}, got {body}")
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
    cpath = f"/v1/collections/{segment(collection)}"

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
    coll = segment(collection)
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
    p.add_argument("--write-images", metavar="DIR", help="only write the images as PNG files into DIR")
    args = p.parse_args(argv)
    if args.images < 1:
        p.error("--images must be at least 1")
    if args.write_images:
        write_images(args.write_images, args.images, args.seed)
        return 0
    key = args.key if args.key is not None else default_key()
    if not key:
        p.error(f"no API key: pass --key or start the platform (./sightline up writes "
                f"{os.path.join(ROOT, '.sightline', 'dev-key')})")

    client = Client(args.url, key)
    started = time.monotonic()
    try:
        load(client, args.collection, args.images, args.seed)
        star_file, emb_text = searches(client, args.collection, args.seed)
    except ApiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print_curls(args.url, args.collection, star_file, emb_text)
    print(f"\nThe console: {args.url.rstrip('/')}/  (sign in with the API key: "
          f"cat {shlex.quote(os.path.join(ROOT, '.sightline', 'dev-key'))}; collection '{args.collection}')")
    print(f"\ndone in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
