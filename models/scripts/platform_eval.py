"""Evaluate the model a running Sightline platform serves, through its public API, on fresh images.

Images come from the independent renderer (independent_shapes.py, never used for training) and, with
--training-renderer, also from the training generator (shapes.py). With the default seed they are exactly the
images the offline evaluation (evaluate.py) scores with the checkpoint, and every figure is defined the same way
(metrics.py), so the two reports can be compared line by line: the serving path (HTTP, Java decoding and
preprocessing, ONNX Runtime, pgvector) against PIL + PyTorch.

* zero-shot top-1 through POST /v1/classify with the 40 labels "{colour} {shape}" and the default template
  ("a photo of a {}."): overall, seen and held-out combinations, per shape, colour, rotation bucket (45 deg),
  size bucket and background, colour-correct and shape-correct rates;
* retrieval through a temporary collection (POST /v1/collections, items upserted in batches of <= 64) of the
  first --retrieval-images images and the 40 captions "a photo of a {colour} {shape}.": text->image
  recall@1/@5 (40 classes x 3 phrasings; a hit = an image of the same colour and shape) and image->text
  recall@1 against the captions.  The collection is deleted afterwards.

Exits 1 when the issue-11 targets are missed on the independent renderer. Only python3 stdlib + numpy + PIL.
Respects the gateway's rate limit (client-side 40 req/s; on 429 waits Retry-After).

    ./sightline model eval-platform          # or: /usr/bin/python3 models/scripts/platform_eval.py --url URL
"""
import argparse
import base64
import io
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import independent_shapes as IS  # noqa: E402
import metrics  # noqa: E402

LABELS = ["%s %s" % (c, s) for c, s in IS.CLASSES]
PHRASINGS = ["a photo of a {c} {s}.", "a {c} {s}", "a picture of a {s} that is {c}"]


class Client:
    def __init__(self, url, key, rate=40.0, workers=8):
        self.url, self.key, self.rate = url.rstrip("/"), key, rate
        self.lock = threading.Lock()
        self.next_t = time.monotonic()
        self.workers = workers
        self.retries_429 = 0

    def _slot(self):
        with self.lock:
            now = time.monotonic()
            t = max(now, self.next_t)
            self.next_t = t + 1.0 / self.rate
        if t > now:
            time.sleep(t - now)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(30):
            self._slot()
            req = urllib.request.Request(self.url + path, data=data, method=method)
            req.add_header("Authorization", "Bearer " + self.key)
            if data is not None:
                req.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    raw = r.read()
                    return json.loads(raw) if raw else None
            except urllib.error.HTTPError as e:
                if e.code in (429, 503):
                    self.retries_429 += e.code == 429
                    time.sleep(float(e.headers.get("Retry-After") or 1))
                    continue
                raise RuntimeError("%s %s -> %d %s" % (method, path, e.code, e.read()[:300].decode("utf-8", "replace")))
            except (urllib.error.URLError, ConnectionError) as e:
                if attempt < 3:
                    time.sleep(1)
                    continue
                raise
        raise RuntimeError("%s %s: still rate-limited after 30 tries" % (method, path))


# ---------------------------------------------------------------- image sources

def independent_image(seed, i):
    data, _, info = IS.sample(seed, i)
    return data, info


def training_image(seed, i):
    import shapes  # the training generator, only for the comparison
    img, info = shapes.sample(seed, i)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue(), info


# ---------------------------------------------------------------- zero-shot

def zero_shot(client, source, seed, n):
    def one(i):
        data, info = source(seed, i)
        res = client.call("POST", "/v1/classify", {"image": base64.b64encode(data).decode(), "labels": LABELS,
                                                  "top_k": 1})
        return metrics.row(info, res["predictions"][0]["label"])
    with ThreadPoolExecutor(client.workers) as ex:
        rows = list(ex.map(one, range(n)))
    return metrics.summarise(rows), rows


# ---------------------------------------------------------------- retrieval

def retrieval(client, source, seed, n):
    name = "eval-%d-%d" % (os.getpid(), int(time.time()))
    client.call("POST", "/v1/collections", {"name": name})
    try:
        cls = {}
        images = {}
        with ThreadPoolExecutor(client.workers) as ex:
            for i, (data, info) in enumerate(ex.map(lambda i: source(seed, i), range(n))):
                images["img-%d" % i] = data
                cls["img-%d" % i] = (info["colour"], info["shape"])
        ids = list(images)
        batches = [ids[k:k + 64] for k in range(0, len(ids), 64)]

        def upsert(batch):
            client.call("POST", "/v1/collections/%s/items" % name, {"items": [
                {"id": i, "image": base64.b64encode(images[i]).decode(),
                 "metadata": {"colour": cls[i][0], "shape": cls[i][1]}} for i in batch]})
        with ThreadPoolExecutor(4) as ex:
            list(ex.map(upsert, batches))
        caps = [{"id": "cap-%s-%s" % (c, s), "text": "a photo of a %s %s." % (c, s)} for c, s in IS.CLASSES]
        client.call("POST", "/v1/collections/%s/items" % name, {"items": caps})
        for c in caps:
            cls[c["id"]] = tuple(c["id"].split("-")[1:3])

        queries = [((c, s), p.format(c=c, s=s)) for c, s in IS.CLASSES for p in PHRASINGS]

        def t2i(q):
            k, text = q
            res = client.call("POST", "/v1/collections/%s/text-to-image" % name, {"text": text, "top_k": 5})
            got = [cls.get(r["id"]) for r in res["results"] if r["id"] in images]
            return got[:1] == [k], k in got[:5], sum(g == k for g in got[:5]) / 5.0

        def i2t(i):
            res = client.call("POST", "/v1/collections/%s/image-to-text" % name,
                              {"image": base64.b64encode(images[i]).decode(), "top_k": 1})
            top = [r["id"] for r in res["results"] if r["id"].startswith("cap-")]
            return bool(top) and cls[top[0]] == cls[i], cls[i] in IS.HELD_OUT
        with ThreadPoolExecutor(client.workers) as ex:
            t = list(ex.map(t2i, queries))
            it = list(ex.map(i2t, ids))
        return metrics.retrieval_figures(t, it)
    finally:
        try:
            client.call("DELETE", "/v1/collections/%s" % name)
        except Exception as e:  # noqa: BLE001
            print("warning: could not delete collection %s: %s" % (name, e), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description="Evaluate a running Sightline platform on fresh shape images.")
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--key", help="API key (default: $SIGHTLINE_KEY, else .sightline/dev-key)")
    ap.add_argument("--images", type=int, default=2000, help="images for zero-shot classification")
    ap.add_argument("--retrieval-images", type=int, default=320, help="images in the retrieval collection (0: skip)")
    ap.add_argument("--seed", type=int, default=4242, help="the offline evaluation's default: the same images")
    ap.add_argument("--training-renderer", action="store_true", help="also evaluate on shapes.py images")
    ap.add_argument("--rate", type=float, default=40.0, help="client-side requests per second")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    key = a.key or os.environ.get("SIGHTLINE_KEY")
    if not key:
        with open(os.path.join(HERE, "..", "..", ".sightline", "dev-key")) as f:
            key = f.read().strip()
    client = Client(a.url, key, rate=a.rate)
    out = {"url": a.url, "seed": a.seed, "labels": "40 x '{colour} {shape}', default template"}
    sources = [("independent", independent_image)]
    if a.training_renderer:
        sources.append(("training", training_image))
    t0 = time.time()
    for name, src in sources:
        t = time.time()
        zs, _ = zero_shot(client, src, a.seed, a.images)
        rt = retrieval(client, src, a.seed, a.retrieval_images) if a.retrieval_images else None
        out[name] = {"zero_shot": zs, "retrieval": rt, "seconds": round(time.time() - t, 1)}
        metrics.print_report("%s renderer" % name, zs, rt)
    out["seconds"] = round(time.time() - t0, 1)
    out["rate_limited_retries"] = client.retries_429
    print("\n%.0f s, %d rate-limited retries" % (out["seconds"], client.retries_429))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    sys.exit(metrics.report_targets(out["independent"]["zero_shot"]))


if __name__ == "__main__":
    main()
