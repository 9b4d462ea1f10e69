"""Evaluate a trained checkpoint offline on fresh images from both renderers (seeds training never used).

* the independent renderer (independent_shapes.py: SDF shapes, its own colours and backgrounds, never used for
  training) — the figures the targets are about;
* the training generator (shapes.py), fresh seed.

Per renderer: zero-shot top-1 over the 40 prompts "a photo of a {colour} {shape}." (what POST /v1/classify does
with the labels "{colour} {shape}" and its default template) overall, seen and held-out combinations, per shape,
colour, 45-degree rotation bucket, size bucket and background; retrieval over the first --retrieval-images
images and the 40 captions: text->image recall@1/@5 for 120 queries (3 phrasings per class; a hit = an image of
the query's colour and shape) and image->text recall@1. Definitions shared with platform_eval.py (metrics.py),
which measures the same through a running platform.

usage: evaluate.py --checkpoint tiny-clip.pt [--images 2000] [--seed 4242] [--json out.json]"""
import argparse
import json
import multiprocessing as mp
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import independent_shapes as IS
import metrics
import shapes
from clip_tokenizer import ClipTokenizer
from export import load
from train import BPE, images_to_tensor, to_tensor

PHRASINGS = ["a photo of a {c} {s}.", "a {c} {s}", "a picture of a {s} that is {c}"]
LABELS = ["%s %s" % cs for cs in shapes.CLASSES]


def _independent(job):
    seed, i = job
    _, decoded, info = IS.sample(seed, i)
    return shapes.clip_preprocess(decoded), info


def _training(job):
    seed, i = job
    img, info = shapes.sample(seed, i)
    return shapes.clip_preprocess(img), info


RENDERERS = {"independent": _independent, "training": _training}


def crops(renderer, seed, n, workers=2):
    out = np.empty((n, 224, 224, 3), np.uint8)
    infos = []
    start = time.time()
    with mp.Pool(workers) as pool:
        for i, (crop, info) in enumerate(pool.imap(RENDERERS[renderer], [(seed, i) for i in range(n)], chunksize=32)):
            out[i] = crop
            infos.append(info)
            if (i + 1) % 500 == 0 or i + 1 == n:
                print(f"  {renderer} renderer: {i + 1}/{n} images ({time.time() - start:.0f}s)", file=sys.stderr,
                      flush=True)
    return out, infos


def embed_images(model, imgs, batch=256):
    out = []
    with torch.no_grad():
        for i in range(0, len(imgs), batch):
            out.append(F.normalize(model.visual(images_to_tensor(imgs[i:i + batch])), dim=-1))
    return torch.cat(out)


def embed_texts(model, tok, texts):
    with torch.no_grad():
        return F.normalize(model.text(to_tensor([tok.tokenize(t) for t in texts])), dim=-1)


def evaluate(model, tok, imgs, infos, retrieval_images):
    """(zero-shot summary, retrieval figures) for preprocessed crops and their attributes."""
    ie = embed_images(model, imgs)
    prompts = embed_texts(model, tok, [shapes.ZERO_SHOT_TEMPLATE.format(c=c, s=s) for c, s in shapes.CLASSES])
    pred = (ie @ prompts.t()).argmax(dim=1).tolist()
    zs = metrics.summarise([metrics.row(info, LABELS[p]) for info, p in zip(infos, pred)])

    n = min(retrieval_images, len(infos))
    cls = [(i["colour"], i["shape"]) for i in infos[:n]]
    queries = [((c, s), p.format(c=c, s=s)) for c, s in shapes.CLASSES for p in PHRASINGS]
    q = embed_texts(model, tok, [t for _, t in queries])
    top5 = (q @ ie[:n].t()).topk(5, dim=1).indices.tolist()
    t2i = []
    for (k, _), idx in zip(queries, top5):
        got = [cls[j] for j in idx]
        t2i.append((got[0] == k, k in got, sum(g == k for g in got) / 5.0))
    i2t = [(LABELS[p] == "%s %s" % c, c in shapes.HELD_OUT) for p, c in zip(pred[:n], cls)]
    return zs, metrics.retrieval_figures(t2i, i2t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--images", type=int, default=2000, help="images per renderer")
    ap.add_argument("--retrieval-images", type=int, default=320)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--renderers", default="independent,training")
    ap.add_argument("--json")
    ap.add_argument("--markdown", help="write the model-card tables here")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model, ck = load(args.checkpoint)
    tok = ClipTokenizer(BPE)
    out = {"checkpoint_seed": ck["seed"], "seed": args.seed, "images_per_renderer": args.images,
           "prompts": shapes.ZERO_SHOT_TEMPLATE}
    start = time.time()
    for name in args.renderers.split(","):
        t = time.time()
        imgs, infos = crops(name, args.seed, args.images)
        zs, rt = evaluate(model, tok, imgs, infos, args.retrieval_images)
        out[name] = {"zero_shot": zs, "retrieval": rt, "seconds": round(time.time() - t, 1)}
        metrics.print_report("%s renderer (offline, checkpoint)" % name, zs, rt, how="40 prompts")
    out["seconds"] = round(time.time() - start, 1)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(metrics.markdown({n: out[n] for n in args.renderers.split(",")}))
    if "independent" in out:
        sys.exit(metrics.report_targets(out["independent"]["zero_shot"]))


if __name__ == "__main__":
    main()
