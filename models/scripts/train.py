"""Train the tiny CLIP from scratch on generated coloured shapes (seeded, CPU, under 20 minutes on 2 cores).

Each generated image is used several times; every use gets a random quarter turn and mirror (free: a shape's
name does not change under either, and the generator already draws every rotation).

usage: train.py --out checkpoint.pt [--steps N] [--batch B] [--seed S] [--images N] [--grey F] [--bf16 auto|on|off]"""
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
    for (c, s), t in itertools.product(classes, shapes.SHAPE_ONLY_TEMPLATES + shapes.COLOUR_ONLY_TEMPLATES):
        out.add(t.format(c=c, s=s))
    return sorted(out)


def to_tensor(ids_list):
    n = max(len(x) for x in ids_list)
    t = torch.zeros((len(ids_list), n), dtype=torch.long)
    for i, ids in enumerate(ids_list):
        t[i, : len(ids)] = torch.tensor(ids)
    return t


# CLIP normalisation (x / 255 - mean) / std as one multiply and one subtract.
_SCALE = (1 / 255.0 / torch.tensor(shapes.STD)).view(1, 3, 1, 1)
_OFFSET = (torch.tensor(shapes.MEAN) / torch.tensor(shapes.STD)).view(1, 3, 1, 1)


def images_to_tensor(batch_uint8):
    """uint8 NHWC crops -> normalised float32 NCHW."""
    x = torch.from_numpy(batch_uint8).permute(0, 3, 1, 2).contiguous().float()
    return x.mul_(_SCALE).sub_(_OFFSET)


def quarter_turns_and_mirrors(batch_uint8, gen):
    """Each image (uint8 NHWC) turned by a random multiple of 90 degrees and mirrored at random."""
    x = torch.from_numpy(batch_uint8)
    b = x.shape[0]
    flip = torch.rand(b, generator=gen) < 0.5
    x[flip] = x[flip].flip(2)
    k = torch.randint(0, 4, (b,), generator=gen)
    for r in (1, 2, 3):
        sel = k == r
        if sel.any():
            x[sel] = torch.rot90(x[sel], r, (1, 2))
    return x.numpy()


def cpu_has_bf16():
    """Whether the CPU computes bfloat16 natively (AVX-512 BF16 or AMX): there mixed precision halves the step
    time; elsewhere it would be emulated and slower."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def to_grey(batch_uint8):
    """Pillow's "L" conversion (ITU-R 601-2 luma), repeated over the three channels."""
    b = batch_uint8.astype(np.int32)
    luma = (b[..., 0] * 299 + b[..., 1] * 587 + b[..., 2] * 114 + 500) // 1000
    return np.repeat(luma[..., None], 3, axis=-1).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=2100)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--images", type=int, default=24000)
    ap.add_argument("--grey", type=float, default=0.15, help="share of images shown without colour")
    ap.add_argument("--probe-weight", type=float, default=0.5)
    ap.add_argument("--bf16", choices=["auto", "on", "off"], default="auto",
                    help="bfloat16 autocast (auto: where the CPU computes bfloat16 natively)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--bpe", default=BPE)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    tok = ClipTokenizer(args.bpe)
    used = sorted({i for cap in all_captions(shapes.CLASSES) for i in tok.tokenize(cap)})
    print(f"token table: {len(used)} used CLIP ids + 1 unknown row", file=sys.stderr)

    t0 = time.time()
    imgs, infos = data.generate(args.images, args.seed, shapes.TRAIN_CLASSES, label="training images")
    colour_of = torch.tensor([shapes.COLOURS.index(i["colour"]) for i in infos])
    shape_of = torch.tensor([shapes.SHAPES.index(i["shape"]) for i in infos])
    print(f"generated {len(infos)} training images in {time.time() - t0:.0f}s", file=sys.stderr)

    model = TinyClip(DIM, used)
    model.visual.to(memory_format=torch.channels_last)
    bf16 = {"auto": cpu_has_bf16(), "on": True, "off": False}[args.bf16]
    print(f"bfloat16 autocast: {'on' if bf16 else 'off'}", file=sys.stderr)
    print(f"parameters: image {param_count(model.visual)}, text {param_count(model.text)}", file=sys.stderr)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    warm = 60
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + np.cos(np.pi * min(1.0, s / args.steps))))

    model.train()
    start = time.time()
    for step in range(args.steps):
        idx = torch.tensor(rng.sample(range(len(infos)), args.batch))
        batch = quarter_turns_and_mirrors(imgs[idx.numpy()], gen)
        # Some images lose their colour and are captioned by their shape alone: shape features that also work
        # without colour cannot hinge on it, so a shape is recognised in a colour it was never seen in.
        grey = torch.rand(args.batch, generator=gen) < args.grey
        batch[grey.numpy()] = to_grey(batch[grey.numpy()])
        x = images_to_tensor(batch).contiguous(memory_format=torch.channels_last)
        caps = [shapes.training_caption(infos[i], rng, shape_only=g) for i, g in zip(idx.tolist(), grey.tolist())]
        ids = to_tensor([tok.tokenize(text) for text, _, _ in caps])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            ie, te, scale, colour_logits, shape_logits = model(x, ids)
        ie, te, colour_logits, shape_logits = ie.float(), te.float(), colour_logits.float(), shape_logits.float()
        logits = scale * ie @ te.t()
        # Image i and caption j are a positive pair when i shows everything j names: several images of one
        # class share a batch, and a caption naming only a shape matches every image of that shape. A grey
        # image shows no colour: it matches no caption that names one.
        colour, shape = colour_of[idx], shape_of[idx]
        want_colour = torch.tensor([-1 if c is None else shapes.COLOURS.index(c) for _, c, _ in caps])
        want_shape = torch.tensor([-1 if s is None else shapes.SHAPES.index(s) for _, _, s in caps])
        pos = (((want_colour[None, :] < 0) | ((colour[:, None] == want_colour[None, :]) & ~grey[:, None]))
               & ((want_shape[None, :] < 0) | (shape[:, None] == want_shape[None, :]))).float()
        contrastive = 0.5 * (F.cross_entropy(logits, pos / pos.sum(dim=1, keepdim=True))
                             + F.cross_entropy(logits.t(), (pos / pos.sum(dim=0, keepdim=True)).t()))
        # Direct colour and shape supervision of the image features speeds up learning the shape.
        probes = (F.cross_entropy(colour_logits, torch.where(grey, -100, colour), ignore_index=-100)
                  + F.cross_entropy(shape_logits, shape))
        loss = contrastive + args.probe_weight * probes
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 25 == 0 or step == args.steps - 1:
            el = time.time() - start
            eta = el / (step + 1) * (args.steps - step - 1)
            print(f"step {step + 1}/{args.steps} loss {contrastive.item():.4f} probes {probes.item():.3f} "
                  f"scale {scale.item():.1f} "
                  f"elapsed {el:.0f}s eta {eta:.0f}s", file=sys.stderr, flush=True)
    model.eval()
    model.visual.to(memory_format=torch.contiguous_format)
    torch.save({"state": model.state_dict(), "used_ids": used, "dim": DIM, "seed": args.seed,
                "steps": args.steps, "batch": args.batch, "images": args.images, "bf16": bf16, "grey": args.grey,
                "train_seconds": round(time.time() - t0)}, args.out)
    print(f"saved {args.out} after {time.time() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
