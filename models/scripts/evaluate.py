"""Evaluate a trained checkpoint on a freshly generated test set (a seed the training never used).

Zero-shot top-1 over the 40 "a photo of a {colour} {shape}." prompts, seen and held-out combinations
separately; text->image recall@1/@5 and image->text recall@1 on 1000 image-caption pairs. A retrieval hit
means the retrieved item shows the query's colour and shape (each class has many images and captions,
so the exact pair is not identifiable).

usage: evaluate.py --checkpoint tiny-clip.pt [--images 2400] [--seed 777] [--json out.json]"""
import argparse
import json
import random
import sys
import time

import torch
import torch.nn.functional as F

import data
import shapes
from clip_tokenizer import ClipTokenizer
from export import load
from train import BPE, images_to_tensor, to_tensor


def embed_images(model, imgs, batch=256):
    out = []
    with torch.no_grad():
        for i in range(0, len(imgs), batch):
            out.append(F.normalize(model.visual(images_to_tensor(imgs[i:i + batch])), dim=-1))
    return torch.cat(out)


def embed_texts(model, tok, texts):
    with torch.no_grad():
        return F.normalize(model.text(to_tensor([tok.tokenize(t) for t in texts])), dim=-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--images", type=int, default=2400)
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=777)
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model, _ = load(args.checkpoint)
    tok = ClipTokenizer(BPE)
    start = time.time()

    imgs, infos = data.generate(args.images, args.seed, shapes.CLASSES, label="test images")
    cls = torch.tensor([shapes.CLASSES.index((i["colour"], i["shape"])) for i in infos])
    ie = embed_images(model, imgs)
    prompts = embed_texts(model, tok, [shapes.ZERO_SHOT_TEMPLATE.format(c=c, s=s) for c, s in shapes.CLASSES])
    pred = (ie @ prompts.t()).argmax(dim=1)
    held = torch.tensor([shapes.CLASSES[c] in shapes.HELD_OUT for c in cls.tolist()])
    correct = pred == cls
    colour_ok = torch.tensor([shapes.CLASSES[p][0] == shapes.CLASSES[c][0] for p, c in zip(pred.tolist(), cls.tolist())])
    shape_ok = torch.tensor([shapes.CLASSES[p][1] == shapes.CLASSES[c][1] for p, c in zip(pred.tolist(), cls.tolist())])

    rng = random.Random(args.seed + 1)
    n = min(args.pairs, len(infos))
    caps = embed_texts(model, tok, [shapes.caption(infos[i], rng) for i in range(n)])
    sim = caps @ ie[:n].t()  # text x image
    same = cls[:n, None] == cls[None, :n]
    top5 = sim.topk(5, dim=1).indices
    t2i_r1 = same.gather(1, top5[:, :1]).any(dim=1).float().mean().item()
    t2i_r5 = same.gather(1, top5).any(dim=1).float().mean().item()
    i2t = sim.t().argmax(dim=1)
    i2t_r1 = same[torch.arange(n), i2t].float().mean().item()

    result = {
        "test_images": len(infos), "seed": args.seed,
        "zero_shot_top1_all": round(correct.float().mean().item(), 4),
        "zero_shot_top1_seen": round(correct[~held].float().mean().item(), 4),
        "zero_shot_top1_held_out": round(correct[held].float().mean().item(), 4),
        "held_out_images": int(held.sum()),
        "colour_accuracy": round(colour_ok.float().mean().item(), 4),
        "shape_accuracy": round(shape_ok.float().mean().item(), 4),
        "pairs": n,
        "text_to_image_recall@1": round(t2i_r1, 4), "text_to_image_recall@5": round(t2i_r5, 4),
        "image_to_text_recall@1": round(i2t_r1, 4),
        "per_held_out_class": {f"{c} {s}": round(correct[cls == shapes.CLASSES.index((c, s))].float().mean().item(), 4)
                               for c, s in sorted(shapes.HELD_OUT)},
        "seconds": round(time.time() - start, 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    ok = result["zero_shot_top1_seen"] >= 0.98 and result["zero_shot_top1_held_out"] >= 0.90
    print("targets (seen >= 0.98, held-out >= 0.90): " + ("met" if ok else "NOT met"), file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
