"""Train the tiny CLIP from scratch on generated coloured shapes (seeded, CPU, ~15 minutes on 2 cores).

usage: train.py --out checkpoint.pt [--steps N] [--batch B] [--seed S] [--images N]"""
import argparse
import itertools
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import data
import shapes
from clip_tokenizer import ClipTokenizer
from model import TinyClip, param_count

BPE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz")
DIM = 128


def all_captions(classes):
    """Every caption the templates can produce for the given classes (used to size the token table)."""
    out = set()
    for (c, s), t, z, b in itertools.product(classes, shapes.TEMPLATES, ["small", "large"], ["dark", "light"]):
        out.add(t.format(c=c, s=s, z=z, b=b))
    return sorted(out)


def to_tensor(ids_list):
    n = max(len(x) for x in ids_list)
    t = torch.zeros((len(ids_list), n), dtype=torch.long)
    for i, ids in enumerate(ids_list):
        t[i, : len(ids)] = torch.tensor(ids)
    return t


MEAN = torch.tensor(shapes.MEAN).view(1, 3, 1, 1)
STD = torch.tensor(shapes.STD).view(1, 3, 1, 1)


def images_to_tensor(batch_uint8):
    x = torch.from_numpy(batch_uint8).permute(0, 3, 1, 2).float() * (1 / 255.0)
    return (x - MEAN) / STD


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=1400)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--images", type=int, default=20000)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--bpe", default=BPE)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tok = ClipTokenizer(args.bpe)
    used = sorted({i for cap in all_captions(shapes.CLASSES) for i in tok.tokenize(cap)})
    print(f"token table: {len(used)} used CLIP ids + 1 unknown row", file=sys.stderr)

    t0 = time.time()
    imgs, infos = data.generate(args.images, args.seed, shapes.TRAIN_CLASSES, label="training images")
    class_of = torch.tensor([shapes.CLASSES.index((i["colour"], i["shape"])) for i in infos])
    print(f"generated {len(infos)} training images in {time.time() - t0:.0f}s", file=sys.stderr)

    model = TinyClip(DIM, used)
    print(f"parameters: image {param_count(model.visual)}, text {param_count(model.text)}", file=sys.stderr)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    warm = 60
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + np.cos(np.pi * min(1.0, s / args.steps))))

    model.train()
    start = time.time()
    for step in range(args.steps):
        idx = torch.tensor(rng.sample(range(len(infos)), args.batch))
        x = images_to_tensor(imgs[idx.numpy()])
        ids = to_tensor([tok.tokenize(shapes.caption(infos[i], rng)) for i in idx.tolist()])
        ie, te, scale = model(x, ids)
        logits = scale * ie @ te.t()
        # Several images of one colour-shape class share a batch; all of them are positives.
        cls = class_of[idx]
        target = (cls[:, None] == cls[None, :]).float()
        target = target / target.sum(dim=1, keepdim=True)
        loss = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 25 == 0 or step == args.steps - 1:
            el = time.time() - start
            eta = el / (step + 1) * (args.steps - step - 1)
            print(f"step {step + 1}/{args.steps} loss {loss.item():.4f} scale {scale.item():.1f} "
                  f"elapsed {el:.0f}s eta {eta:.0f}s", file=sys.stderr, flush=True)
    model.eval()
    torch.save({"state": model.state_dict(), "used_ids": used, "dim": DIM, "seed": args.seed,
                "steps": args.steps, "batch": args.batch, "images": args.images,
                "train_seconds": round(time.time() - t0)}, args.out)
    print(f"saved {args.out} after {time.time() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
