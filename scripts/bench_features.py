#!/usr/bin/python3
"""Measures three features of the running platform with the bundled model: near-duplicate detection, moderation
calibration, and hybrid against vector search, each with a comparison line.

usage: scripts/bench_features.py [--url URL] [--key KEY] [--seed N] [--n N] [--only dups|moderation|hybrid]
       (./sightline bench features [args])

1. dups: originals from the independent renderer (models/scripts/independent_shapes.py) and three re-encoded
   copies of the first third (JPEG quality 60; resized to 75 % then PNG; 4 % cropped off each side then PNG) go
   into a scratch collection; POST /v1/collections/{name}/duplicates at several thresholds; pair precision and
   recall of its groups (a predicted pair: two ids in one group; a true pair: an original and its copy, or two
   copies of one original), beside the same measures of exact all-pairs cosine similarity of the same images
   (POST /v1/embeddings).
2. moderation: a policy with one category (red or yellow triangles against the other shapes of those colours),
   calibrated (target precision 0.9) on a labelled set of independent images of one seed, then evaluated on a
   held-out set of another seed with POST /v1/moderate: what the calibration reported against the held-out set.
3. hybrid: a caption collection (plain captions of the 40 classes, and captions holding a rare catalogue code
   among other shape words); queries "<colour> <shape> <code>" whose one relevant item is the code's caption;
   recall@1, recall@10 and MRR of modes vector, keyword and hybrid.

Needs ./sightline up. Deletes what it creates (collections bench-dups-<pid>, bench-hybrid-<pid>,
bench-moderation-<pid>, policy bench-<pid>), also on failure. Progress on stderr, results on stdout; exit 1 when
a part failed. A benchmark, not a test: standard library, numpy and PIL only.
"""
import argparse
import base64
import io
import itertools
import os
import random
import sys
import time

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "models", "scripts"))

import independent_shapes as ind  # noqa: E402  (models/scripts/independent_shapes.py: never used for training)
from sightline_api import ApiError, Client, default_key, default_url, segment  # noqa: E402

MODEL = "sightline/tiny-clip"
PARTS = ["dups", "moderation", "hybrid"]
COPY_KINDS = ["jpeg60", "resize75", "crop4"]
DUP_THRESHOLDS = [0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99]
MAX_IMAGES_PER_REQUEST = 64            # API limit: images per upsert / embeddings request
MAX_BODY_BYTES = 24 * 1024 * 1024      # stay well under the 32 MiB request body limit
CATEGORY = "warning-signs"
POSITIVE = [("red", "triangle"), ("yellow", "triangle")]
TARGET_PRECISION = 0.9
HYBRID_TOP_K = 50


class Unavailable(Exception):
    """A route of the API that the running platform does not serve yet (404/405 from the route itself)."""


def progress(msg):
    print("  " + msg, file=sys.stderr, flush=True)


def b64(data):
    return base64.b64encode(data).decode("ascii")


def data_uri(data):
    kind = "jpeg" if data[:2] == b"\xff\xd8" else "png"
    return f"data:image/{kind};base64," + b64(data)


def png_bytes(img):
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def copies_of(img):
    """The three re-encoded copies of a decoded image: {kind: encoded bytes}."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=60)
    w, h = img.size
    dx, dy = round(w * 0.04), round(h * 0.04)
    return {"jpeg60": buf.getvalue(),
            "resize75": png_bytes(img.resize((max(8, round(w * 0.75)), max(8, round(h * 0.75))), Image.LANCZOS)),
            "crop4": png_bytes(img.crop((dx, dy, w - dx, h - dy)))}


def chunks(entries, size_of):
    """Lists of entries of at most 64 and about 24 MB (size_of(entry) bytes each)."""
    batch, size = [], 0
    for e in entries:
        s = size_of(e) + 256
        if batch and (len(batch) >= MAX_IMAGES_PER_REQUEST or size + s > MAX_BODY_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(e)
        size += s
    if batch:
        yield batch


def embed_images(client, blobs):
    """Unit vectors of encoded images through POST /v1/embeddings, in order (numpy array)."""
    vecs = []
    for batch in chunks(blobs, lambda b: len(b) * 4 // 3):
        _, body = client.call("POST", "/v1/embeddings", {
            "model": MODEL, "input": [{"type": "image_url", "image_url": {"url": data_uri(b)}} for b in batch]})
        vecs += [d["embedding"] for d in sorted(body["data"], key=lambda d: d["index"])]
    v = np.array(vecs, dtype=np.float64)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def upload(client, collection, items):
    """Upserts items ({"id", "image": base64, ...}) in requests of at most 64 images and ~24 MB."""
    path = f"/v1/collections/{segment(collection)}/items"
    done = 0
    for batch in chunks(items, lambda it: len(it.get("image") or it.get("text") or "")):
        _, body = client.call("POST", path, {"items": batch})
        if body.get("upserted") != len(batch):
            raise ApiError(f"POST {path}: expected upserted={len(batch)}, got {body}")
        done += len(batch)
        progress(f"uploaded {done}/{len(items)} items to {collection}")


def feature_call(client, method, path, body=None, ok=(200, 201, 204)):
    """A call of a route of issue 16: a 404/405 answered by the router itself (not a problem about a named thing)
    raises Unavailable."""
    try:
        return client.call(method, path, body, ok=ok)
    except ApiError as e:
        if e.status == 405 or e.status == 404 and (e.detail or "").startswith("There is nothing at this path"):
            raise Unavailable(f"{method} {path} answered HTTP {e.status} ({e.detail}): "
                              f"not served by this platform yet (notes/api16.md)") from None
        raise


def pr(predicted, true):
    tp = len(predicted & true)
    return (tp / len(predicted) if predicted else 1.0), (tp / len(true) if true else 1.0)


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def times(a, b):
    """'x2.13', or what the ratio cannot say when b is 0."""
    return f"x{a / b:.2f}" if b else ("both 0" if not a else "vector 0")


# ------------------------------------------------------------------------------------------------ 1. near-duplicates

def components(n, links):
    """Connected components (of size >= 2) of n nodes joined by links (pairs of indexes)."""
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in links:
        parent[find(a)] = find(b)
    groups = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def group_pairs(groups):
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}


def check_groups(answer, threshold, ids, problems):
    """Contract checks of a DuplicateGroups answer (notes/api16.md)."""
    known = set(ids)
    if threshold is not None and abs(float(answer.get("threshold", -1)) - threshold) > 1e-9:
        problems.append(f"threshold {threshold}: answer says threshold {answer.get('threshold')}")
    if answer.get("scanned") != len(ids):
        problems.append(f"threshold {threshold}: scanned {answer.get('scanned')}, the collection holds {len(ids)}")
    seen = set()
    groups = answer.get("groups", [])
    for g in groups:
        gid = g.get("ids", [])
        if len(gid) < 2 or gid != sorted(gid):
            problems.append(f"threshold {threshold}: group {gid} is not 2+ sorted ids")
        if set(gid) - known:
            problems.append(f"threshold {threshold}: unknown ids {sorted(set(gid) - known)}")
        if seen & set(gid):
            problems.append(f"threshold {threshold}: ids in two groups: {sorted(seen & set(gid))}")
        seen |= set(gid)
        if float(g.get("min_score", -1)) < float(answer.get("threshold", 0)) - 1e-6:
            problems.append(f"threshold {threshold}: group {gid[:3]}… min_score {g.get('min_score')} under the threshold")
    order = [(-len(g["ids"]), g["ids"][0]) for g in groups if g.get("ids")]
    if order != sorted(order):
        problems.append(f"threshold {threshold}: groups not largest first, then by first id")


def part_dups(client, args):
    name = f"bench-dups-{os.getpid()}"
    n_copied = max(1, args.n // 3)
    progress(f"rendering {args.n} originals (independent renderer, seed {args.seed}) and 3 copies of {n_copied}")
    ids, blobs, origin, classes = [], [], [], []
    for i in range(args.n):
        data, decoded, info = ind.sample(args.seed, i)
        oid = f"o{i:04d}"
        ids.append(oid); blobs.append(data); origin.append(i); classes.append((info["colour"], info["shape"]))
        if i < n_copied:
            for kind, copy in copies_of(decoded).items():
                ids.append(f"{oid}-{kind}"); blobs.append(copy); origin.append(i); classes.append(classes[-1])
    n = len(ids)
    true = {(a, b) for a in range(n) for b in range(a + 1, n) if origin[a] == origin[b]}
    index = {x: k for k, x in enumerate(ids)}

    progress(f"embedding the {n} images through POST /v1/embeddings (the exact reference)")
    vecs = embed_images(client, blobs)
    sims = vecs @ vecs.T
    iu = np.triu_indices(n, 1)
    scores = sims[iu]
    print(f"\n[1] near-duplicates: {args.n} originals + {3 * n_copied} copies of {n_copied} "
          f"({len(true)} true pairs of {len(scores)})")
    copy_scores = {k: [sims[index[f"o{i:04d}"], index[f"o{i:04d}-{k}"]] for i in range(n_copied)] for k in COPY_KINDS}
    for k in COPY_KINDS:
        s = np.array(copy_scores[k])
        print(f"  original~{k:<8}  cosine min {s.min():.4f}  p5 {np.percentile(s, 5):.4f}  median {np.median(s):.4f}")
    orig_idx = [index[f"o{i:04d}"] for i in range(args.n)]
    same, anyc, otherc = [], [], []
    for j in orig_idx:
        rest = [k for k in orig_idx if k != j]
        anyc.append(max(sims[j, k] for k in rest))
        peers = [sims[j, k] for k in rest if classes[k] == classes[j]]
        if peers:
            same.append(max(peers))
        otherc.append(max(sims[j, k] for k in rest if classes[k] != classes[j]))
    for label, s in (("same class ", same), ("any class  ", anyc), ("other class", otherc)):
        if not s:
            continue
        s = np.array(s)
        print(f"  original~nearest other original, {label}  cosine max {s.max():.4f}  p95 {np.percentile(s, 95):.4f}"
              f"  median {np.median(s):.4f}")
    low = min(min(v) for v in copy_scores.values())
    if same:
        print(f"  copies vs other images of the class: lowest original~copy {low:.4f}, highest same-class other "
              f"original {max(same):.4f}: "
              + ("separable between them" if low > max(same) else "overlapping, no threshold separates them"))

    client.call("POST", "/v1/collections", {"name": name})
    problems = []
    try:
        upload(client, name, [{"id": x, "image": b64(b), "metadata": {"original": f"o{origin[k]:04d}"}}
                              for k, (x, b) in enumerate(zip(ids, blobs))])
        path = f"/v1/collections/{segment(name)}/duplicates"
        rows = []
        for t in [None] + DUP_THRESHOLDS:
            body = {"modality": "image"} if t is None else {"threshold": t, "modality": "image"}
            started = time.monotonic()
            _, answer = feature_call(client, "POST", path, body, ok=(200,))
            ms = (time.monotonic() - started) * 1000
            check_groups(answer, t, ids, problems)
            used = float(answer.get("threshold", t or 0))
            groups = [[index[x] for x in g["ids"] if x in index] for g in answer.get("groups", [])]
            p, r = pr(group_pairs(groups), true)
            exact = {(int(a), int(b)) for a, b, s in zip(iu[0], iu[1], scores) if s >= used}
            ep, er = pr(exact, true)
            cp, cr = pr(group_pairs(components(n, exact)), true)
            rows.append((t, used, len(groups), sum(len(g) for g in groups), len(group_pairs(groups)), p, r,
                         ep, er, cp, cr, ms))
            progress(f"duplicates at {'default' if t is None else t}: {len(groups)} groups, {ms:.0f} ms")
        print(f"  {'threshold':>13} {'groups':>6} {'items':>5} {'pairs':>6} {'prec':>6} {'recall':>6} |"
              f" {'all-pairs P':>11} {'R':>6} | {'components P':>12} {'R':>6} | {'ms':>6}")
        for t, used, ng, ni, npairs, p, r, ep, er, cp, cr, ms in rows:
            label = f"default {used:.3f}" if t is None else f"{used:.2f}"
            print(f"  {label:>13} {ng:6d} {ni:5d} {npairs:6d} {p:6.3f} {r:6.3f} | {ep:11.3f} {er:6.3f} |"
                  f" {cp:12.3f} {cr:6.3f} | {ms:6.0f}")
        print("  (all-pairs: every pair of the same images with cosine >= the threshold, from /v1/embeddings; "
              "components: their transitive closure, what groups would be with every neighbour, not the top 10)")
        for t, used, ng, ni, npairs, p, r, ep, er, cp, cr, ms in rows:
            print(f"  threshold {used:.3f}: endpoint recall / exact components recall = {ratio(r, cr)}, "
                  f"precision / exact components precision = {ratio(p, cp)}")
        if problems:
            print("  contract problems:\n    " + "\n    ".join(problems))
            raise ApiError(f"{len(problems)} contract problem(s) in the duplicates answers")
        print("  contract checks (threshold echo, scanned, sorted disjoint groups, order, min_score): ok")
    finally:
        client.call("DELETE", f"/v1/collections/{segment(name)}", ok=(204, 404))
        progress(f"deleted collection {name}")


# ------------------------------------------------------------------------------------------------ 2. moderation

def labelled_set(seed, n):
    """n independent images of a seed, a third positive (red or yellow triangles, drawn from their own index range
    so that they do not share render parameters with the negatives), the rest the seed's ordinary class stream
    without the positive classes: [(encoded bytes, positive?, "colour shape")]."""
    n_pos = max(2, n // 3)
    out = []
    for i in range(n_pos):
        data, _, info = ind.sample(seed, 1_000_000 + i, classes=POSITIVE)
        out.append((data, True, f"{info['colour']} {info['shape']}"))
    i = 0
    while len(out) < n:
        data, _, info = ind.sample(seed, i)
        i += 1
        if (info["colour"], info["shape"]) not in POSITIVE:
            out.append((data, False, f"{info['colour']} {info['shape']}"))
    return out


def policy_body():
    """Prompts: red and yellow triangles; benign: the other shapes of those colours and the triangles of the other
    colours (14 prompts; the limit is 16), so that a probability over prompts + benign weighs colour and shape."""
    colours = sorted({c for c, _ in POSITIVE})
    shapes = sorted({s for _, s in POSITIVE})
    benign = [f"a photo of a {c} {s}." for c in colours for s in ind.SHAPES if (c, s) not in POSITIVE]
    benign += [f"a photo of a {c} {s}." for c in ind.COLOURS for s in shapes if (c, s) not in POSITIVE and c not in colours]
    return {"categories": [{"name": CATEGORY, "prompts": [f"a photo of a {c} {s}." for c, s in POSITIVE],
                            "benign": benign, "threshold": 0.5, "action": "flag"}]}


def moderate_all(client, policy, examples, what):
    """Scores of the category and whether it fired, per example, through POST /v1/moderate."""
    scores, fired, thresholds = [], [], set()
    started = time.monotonic()
    for k, (data, _, _) in enumerate(examples):
        _, verdict = feature_call(client, "POST", "/v1/moderate", {"policy": policy, "image": b64(data)}, ok=(200,))
        cat = next(c for c in verdict["categories"] if c["name"] == CATEGORY)
        if (verdict["action"] != "allow") != bool(cat["fired"]):
            raise ApiError(f"verdict action {verdict['action']} disagrees with the category's fired={cat['fired']}")
        scores.append(float(cat["score"])); fired.append(bool(cat["fired"])); thresholds.add(float(cat["threshold"]))
        if (k + 1) % 50 == 0 or k + 1 == len(examples):
            progress(f"moderated {k + 1}/{len(examples)} {what} images")
    ms = (time.monotonic() - started) * 1000 / max(1, len(examples))
    return np.array(scores), np.array(fired), thresholds, ms


def precision_recall(predicted, labels):
    tp = int((predicted & labels).sum())
    return (tp / predicted.sum() if predicted.sum() else 1.0), tp / labels.sum(), int(predicted.sum())


def part_moderation(client, args):
    policy = f"bench-{os.getpid()}"
    calib_seed, held_seed = args.seed, args.seed + 1
    progress(f"rendering the calibration set (seed {calib_seed}) and the held-out set (seed {held_seed}), "
             f"{args.n} images each, a third positive")
    calib, held = labelled_set(calib_seed, args.n), labelled_set(held_seed, args.n)
    ppath = f"/v1/moderation/policies/{segment(policy)}"
    scratch = None
    try:
        status, saved = feature_call(client, "PUT", ppath, policy_body(), ok=(200, 201))
        if status != 201:
            raise ApiError(f"PUT {ppath}: a new policy answered {status}, not 201")
        progress(f"policy {policy} saved (model {saved.get('model')})")
        examples = [{"image": b64(d), "categories": [CATEGORY] if pos else []} for d, pos, _ in calib]
        body = {"examples": examples, "target": {"metric": "precision", "value": TARGET_PRECISION}}
        if args.calibrate_by == "item_id":
            scratch = f"bench-moderation-{os.getpid()}"
            client.call("POST", "/v1/collections", {"name": scratch})
            upload(client, scratch, [{"id": f"c{k:04d}", "image": e["image"]} for k, e in enumerate(examples)])
            body = dict(body, collection=scratch,
                        examples=[{"item_id": f"c{k:04d}", "categories": e["categories"]}
                                  for k, e in enumerate(examples)])
        started = time.monotonic()
        _, cal = feature_call(client, "POST", ppath + "/calibrate", body, ok=(200,))
        cal_ms = (time.monotonic() - started) * 1000
        c = next(x for x in cal["categories"] if x["name"] == CATEGORY)
        n_pos = sum(1 for _, pos, _ in calib if pos)
        progress(f"calibrated in {cal_ms:.0f} ms: threshold {c['threshold']} (was {c['previous_threshold']}), "
                 f"met {c['met']}, stored {cal.get('stored')}")
        problems = []
        if cal.get("examples") != len(calib):
            problems.append(f"examples {cal.get('examples')}, sent {len(calib)}")
        if c.get("positives") != n_pos:
            problems.append(f"positives {c.get('positives')}, sent {n_pos}")
        if abs(float(c.get("previous_threshold", -1)) - 0.5) > 1e-9:
            problems.append(f"previous_threshold {c.get('previous_threshold')}, the policy had 0.5")
        if not cal.get("stored"):
            problems.append("stored is false without dry_run")
        _, now = feature_call(client, "GET", ppath, ok=(200,))
        stored = next(x for x in now["categories"] if x["name"] == CATEGORY)["threshold"]
        expected = c["threshold"] if c["met"] else 0.5
        if abs(float(stored) - float(expected)) > 1e-9:
            problems.append(f"GET policy says threshold {stored}, calibration reported {c['threshold']} (met {c['met']})")

        # The calibration set through /v1/moderate: the scores the calibration saw, recomputed.
        cs, cf, cth, _ = moderate_all(client, policy, calib, "calibration")
        cl = np.array([pos for _, pos, _ in calib])
        rp, rr, _ = precision_recall(cf, cl)
        if abs(rp - float(c["precision"])) > 1e-6 or abs(rr - float(c["recall"])) > 1e-6:
            problems.append(f"the calibration set through /v1/moderate gives precision {rp:.4f} recall {rr:.4f} "
                            f"at {stored}; the calibration reported {c['precision']} / {c['recall']}")
        table = c.get("table") or []
        levels = [float(r["threshold"]) for r in table]
        if not table or levels != sorted(levels, reverse=True) or len(set(levels)) != len(levels):
            problems.append(f"table: {len(table)} rows, not one per distinct score from high to low")
        if len(table) > len(calib):
            problems.append(f"table: {len(table)} rows for {len(calib)} examples")

        hs, hf, hth, mod_ms = moderate_all(client, policy, held, "held-out")
        hl = np.array([pos for _, pos, _ in held])
        if hth != {float(stored)}:
            problems.append(f"verdicts name thresholds {sorted(hth)}, the policy's is {stored}")
        hp, hr, hn = precision_recall(hf, hl)
        # the held-out threshold that would have met the target, for comparison
        best = None
        for t in sorted(set(hs.tolist()), reverse=True):
            p, r, _ = precision_recall(hs >= t, hl)
            if p >= TARGET_PRECISION:
                best = (t, p, r)
        print(f"\n[2] moderation calibration: category {CATEGORY} (red/yellow triangles; benign prompts: the other "
              f"red/yellow shapes and the other colours' triangles), target precision {TARGET_PRECISION}")
        print(f"  calibration (seed {calib_seed}): {len(calib)} images, {n_pos} positive; answer in {cal_ms:.0f} ms")
        print(f"    reported: met {c['met']}, threshold {float(c['threshold']):.4g} (was {c['previous_threshold']}), "
              f"precision {float(c['precision']):.3f}, recall {float(c['recall']):.3f}, {len(table)} table rows")
        print(f"  held-out (seed {held_seed}): {len(held)} images, {int(hl.sum())} positive; /v1/moderate "
              f"{mod_ms:.0f} ms per image")
        print(f"    at the stored threshold {float(stored):.4g}: precision {hp:.3f}, recall {hr:.3f} "
              f"({hn} flagged)")
        print(f"  held-out / calibration: precision {ratio(hp, float(c['precision']))}, recall "
              f"{ratio(hr, float(c['recall']))}; held-out precision {'meets' if hp >= TARGET_PRECISION else 'misses'} "
              f"the target {TARGET_PRECISION}")
        if best:
            print(f"  (on the held-out set the lowest threshold meeting the target is {best[0]:.4g}: precision "
                  f"{best[1]:.3f}, recall {best[2]:.3f})")
        else:
            print("  (on the held-out set no threshold meets the target)")
        by_class = {}
        for (_, pos, label), f in zip(held, hf):
            if f and not pos:
                by_class[label] = by_class.get(label, 0) + 1
        if by_class:
            print("  held-out false positives by class: " + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items())))
        if problems:
            print("  contract problems:\n    " + "\n    ".join(problems))
            raise ApiError(f"{len(problems)} contract problem(s) in the moderation answers")
        print("  contract checks (counts, previous threshold, stored threshold, table rows, scores agree with "
              "/v1/moderate): ok")
    finally:
        if scratch:
            client.call("DELETE", f"/v1/collections/{segment(scratch)}", ok=(204, 404))
        try:
            client.call("DELETE", ppath, ok=(204, 404, 405))
        except ApiError as e:
            progress(f"could not delete policy {policy}: {e}")
        progress(f"deleted policy {policy}")


# ------------------------------------------------------------------------------------------------ 3. hybrid search

PLAIN_TEMPLATES = ["a photo of a {c} {s}.", "a {c} {s}", "a drawing of a {c} {s}.", "an image of a {c} {s}"]


def hybrid_items(seed, per_class=2):
    """Plain captions of every class, and per class `per_class` captions holding a rare code (half "qx-4821",
    half "qx4821") among two other classes' words: (items, queries [(text, relevant id, code style)])."""
    rng = random.Random(seed)
    items = [{"id": f"cap-{c}-{s}-{k}", "text": t.format(c=c, s=s), "metadata": {"colour": c, "shape": s}}
             for c, s in ind.CLASSES for k, t in enumerate(PLAIN_TEMPLATES)]
    queries, codes = [], set()
    letters = "bcdfghjkmnpqrstvwxz"
    n = 0
    for c, s in ind.CLASSES:
        for _ in range(per_class):
            while True:
                letters2, digits = rng.choice(letters) + rng.choice(letters), rng.randint(1000, 9999)
                if (letters2, digits) not in codes:
                    codes.add((letters2, digits))
                    break
            style = "hyphen" if n % 2 == 0 else "compact"
            code = f"{letters2}-{digits}" if style == "hyphen" else f"{letters2}{digits}"
            others = rng.sample([k for k in ind.CLASSES if k != (c, s)], 2)
            parts = [f"a {c2} {s2}" for c2, s2 in [(c, s)] + others]
            rng.shuffle(parts)
            text = f"a photo of {parts[0]}, {parts[1]} and {parts[2]}, catalogue {code}."
            item_id = f"code-{n:03d}"
            items.append({"id": item_id, "text": text, "metadata": {"colour": c, "shape": s, "code": code}})
            queries.append((f"{c} {s} {code}", item_id, style))
            n += 1
    return items, queries


def part_hybrid(client, args):
    name = f"bench-hybrid-{os.getpid()}"
    items, queries = hybrid_items(args.seed)
    client.call("POST", "/v1/collections", {"name": name})
    try:
        upload(client, name, items)
        path = f"/v1/collections/{segment(name)}/search"
        ranks = {m: [] for m in ("vector", "keyword", "hybrid")}
        empty = {m: {"hyphen": 0, "compact": 0} for m in ranks}
        ms = {m: 0.0 for m in ranks}
        for k, (text, relevant, style) in enumerate(queries):
            for mode in ranks:
                started = time.monotonic()
                _, body = client.call("POST", path, {"query": {"text": text}, "mode": mode, "top_k": HYBRID_TOP_K})
                ms[mode] += (time.monotonic() - started) * 1000
                got = [r["id"] for r in body["results"]]
                if not got:
                    empty[mode][style] += 1
                ranks[mode].append((got.index(relevant) + 1 if relevant in got else None, style))
            if (k + 1) % 20 == 0 or k + 1 == len(queries):
                progress(f"searched {k + 1}/{len(queries)} queries in 3 modes")

        def metrics(rs):
            n = len(rs)
            return (sum(1 for r in rs if r == 1) / n, sum(1 for r in rs if r and r <= 10) / n,
                    sum(1 / r for r in rs if r) / n)
        n_plain = len(items) - len(queries)
        print(f"\n[3] hybrid vs vector search: {len(items)} captions ({n_plain} plain, {len(queries)} with a rare "
              f"catalogue code among other shape words), {len(queries)} queries \"<colour> <shape> <code>\", "
              f"one relevant item each; top_k {HYBRID_TOP_K}")
        print(f"  {'mode':<8} {'codes':<8} {'queries':>7} {'recall@1':>8} {'recall@10':>9} {'MRR':>6} {'empty':>5} "
              f"{'ms/query':>8}")
        table = {}
        for mode, rs in ranks.items():
            for style in ("all", "hyphen", "compact"):
                sel = [r for r, st in rs if style == "all" or st == style]
                table[mode, style] = metrics(sel)
                n_empty = sum(empty[mode].values()) if style == "all" else empty[mode][style]
                r1, r10, mrr = table[mode, style]
                print(f"  {mode:<8} {style:<8} {len(sel):7d} {r1:8.3f} {r10:9.3f} {mrr:6.3f} {n_empty:5d} "
                      f"{ms[mode] / len(rs):8.1f}")
        for style in ("all", "hyphen", "compact"):
            v, h, kw = table["vector", style], table["hybrid", style], table["keyword", style]
            print(f"  hybrid vs vector ({style} codes): recall@1 {h[0]:.3f} vs {v[0]:.3f} ({times(h[0], v[0])}), "
                  f"recall@10 {h[1]:.3f} vs {v[1]:.3f} ({times(h[1], v[1])}), MRR {h[2]:.3f} vs {v[2]:.3f} "
                  f"({times(h[2], v[2])}); keyword MRR {kw[2]:.3f}")
        if empty["keyword"]["hyphen"]:
            print(f"  note: keyword search found nothing for {empty['keyword']['hyphen']} of "
                  f"{sum(1 for *_, st in queries if st == 'hyphen')} queries of a hyphenated code (\"qx-4821\"), "
                  f"which every relevant caption holds verbatim")
    finally:
        client.call("DELETE", f"/v1/collections/{segment(name)}", ok=(204, 404))
        progress(f"deleted collection {name}")


# ------------------------------------------------------------------------------------------------ main

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=default_url())
    p.add_argument("--key", default=None, help="API key (default: $SIGHTLINE_KEY, else .sightline/dev-key)")
    p.add_argument("--seed", type=int, default=777, help="seed of the independent images and codes (default 777)")
    p.add_argument("--n", type=int, default=150,
                   help="originals for dups (copies of the first third); images per moderation set (default 150)")
    p.add_argument("--only", choices=PARTS, action="append", help="run only this part (repeatable)")
    p.add_argument("--calibrate-by", choices=["image", "item_id"], default="image",
                   help="calibration examples as inline images (default) or as items of a scratch collection")
    args = p.parse_args()
    if args.n < 6:
        p.error("--n must be at least 6")
    key = args.key or default_key()
    if not key:
        print("no API key: run ./sightline up (it writes .sightline/dev-key), or pass --key / set SIGHTLINE_KEY",
              file=sys.stderr)
        return 1
    client = Client(args.url, key)
    try:
        _, models = client.call("GET", "/v1/models")
    except ApiError as e:
        msg = str(e) if e.status != 401 else f"the API key was refused by {args.url} (HTTP 401)"
        print(f"error: {msg}", file=sys.stderr)
        return 1
    served = [m.get("id") for m in (models or {}).get("data", [])]
    if MODEL not in served:
        print(f"error: {args.url} does not serve {MODEL} (it serves {served})", file=sys.stderr)
        return 1
    print(f"Sightline at {args.url}, model {MODEL}, seed {args.seed}, n {args.n}")
    results = {}
    for part, fn in (("dups", part_dups), ("moderation", part_moderation), ("hybrid", part_hybrid)):
        if args.only and part not in args.only:
            continue
        print(f"== {part}", file=sys.stderr, flush=True)
        started = time.monotonic()
        try:
            fn(client, args)
            results[part] = f"ok ({time.monotonic() - started:.0f} s)"
        except Unavailable as e:
            results[part] = f"UNAVAILABLE: {e}"
        except (ApiError, KeyError, StopIteration, TypeError, ValueError) as e:
            results[part] = f"FAILED: {type(e).__name__}: {e}"
    print("\nsummary:")
    for part, r in results.items():
        print(f"  {part:<10} {r}")
    return 0 if all(r.startswith("ok") for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
