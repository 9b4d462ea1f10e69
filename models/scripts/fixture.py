"""The parity fixture for the Java side: test images and texts with their reference preprocessing and embeddings.

Reference pipeline (what OpenAI CLIP and HF CLIPImageProcessor do): EXIF orientation applied, PIL
convert("RGB") (alpha dropped, palettes expanded), PIL bicubic resize of the shortest side to 224, floor
centre crop, rescale by 1/255, CLIP mean/std normalisation.

usage: fixture.py --checkpoint tiny-clip.pt --out ../fixtures/parity"""
import argparse
import hashlib
import io
import json
import os

import numpy as np
import torch
from PIL import Image, ImageOps

import shapes
from clip_tokenizer import ClipTokenizer
from model import TinyClip
from train import BPE

TEXTS = [
    "a photo of a red circle.",
    "blue square",
    "A PHOTO OF A GREEN TRIANGLE!!!",
    "a yellow star on a dark background, 3 of them: 1, 2 & 3?",
    "  a    purple   cross  \n with\ttabs  ",
    "a café with crème brûlée 🍮 and ümlauts — «quotes»",
    "it's a white circle; isn't it? we'll see, they've said I'd know",
    "",
    "a black square, " * 30,
    "orange" * 40,
]


def _shape_image(colour, shape, size, seed, fmt="PNG"):
    img, _ = shapes.render(colour, shape, shapes.seeded(seed), size=size, fmt=fmt)
    return img


def _save(img, path, fmt, **kw):
    img.save(path, fmt, **kw)


def build_images(out):
    """Writes the fixture images; returns [(file, description)]."""
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    p = lambda name: os.path.join(out, "images", name)
    items = []

    _save(_shape_image("red", "circle", (400, 240), 1), p("wide.png"), "PNG")
    items.append(("wide.png", "non-square RGB PNG, 400x240"))
    _save(_shape_image("blue", "square", (200, 360), 2), p("tall.jpg"), "JPEG", quality=90)
    items.append(("tall.jpg", "non-square JPEG, 200x360"))
    _save(_shape_image("green", "triangle", (48, 40), 3), p("tiny.png"), "PNG")
    items.append(("tiny.png", "tiny PNG, 48x40 (upscaled)"))
    _save(_shape_image("yellow", "star", (1600, 1200), 4), p("large.jpg"), "JPEG", quality=92)
    items.append(("large.jpg", "large JPEG, 1600x1200 (strong antialiased downscale)"))
    _save(_shape_image("white", "cross", (300, 300), 5).convert("L"), p("gray.png"), "PNG")
    items.append(("gray.png", "8-bit grayscale PNG"))
    _save(_shape_image("black", "circle", (320, 256), 6).convert("L"), p("gray.jpg"), "JPEG", quality=90)
    items.append(("gray.jpg", "grayscale JPEG"))

    rgba = _shape_image("purple", "triangle", (256, 300), 7).convert("RGBA")
    a = np.asarray(rgba).copy()
    yy, xx = np.mgrid[0:a.shape[0], 0:a.shape[1]]
    a[..., 3] = ((xx * 255) // a.shape[1]).astype(np.uint8)  # alpha ramp; convert("RGB") must ignore it
    a[:20, :20, 3] = 0
    Image.fromarray(a, "RGBA").save(p("rgba.png"), "PNG")
    items.append(("rgba.png", "RGBA PNG with an alpha ramp (alpha dropped, not composited)"))

    pal = _shape_image("orange", "square", (280, 220), 8).quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    pal.save(p("palette.png"), "PNG", transparency=0)
    items.append(("palette.png", "palette PNG with a transparent index"))

    # Stored sideways with EXIF orientation 6 (rotate 90 CW to display); the upright image is a blue star.
    upright = _shape_image("blue", "star", (240, 360), 9)
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(p("exif-rotated.jpg"), "JPEG", quality=92, exif=exif.tobytes())
    items.append(("exif-rotated.jpg", "JPEG stored sideways with EXIF orientation 6"))

    _shape_image("red", "cross", (300, 240), 10).convert("CMYK").save(p("cmyk.jpg"), "JPEG", quality=92)
    items.append(("cmyk.jpg", "CMYK JPEG"))

    f1 = _shape_image("green", "circle", (260, 200), 11)
    f2 = _shape_image("black", "square", (260, 200), 12)
    f1.save(p("animated.gif"), "GIF", save_all=True, append_images=[f2], duration=100, loop=0)
    items.append(("animated.gif", "animated GIF (first frame is used)"))

    _shape_image("yellow", "triangle", (250, 230), 13).save(p("image.bmp"), "BMP")
    items.append(("image.bmp", "24-bit BMP"))

    # Not a parity entry: the decoder test's lossless WebP, which must decode to exactly tiny.png's pixels.
    Image.open(p("tiny.png")).save(os.path.join(out, "tiny-lossless.webp"), "WEBP", lossless=True)
    return items


def reference_crop(path):
    with open(path, "rb") as f:
        img = Image.open(io.BytesIO(f.read()))
        img.seek(0)
        img = ImageOps.exif_transpose(img)
        return shapes.clip_preprocess(img.convert("RGB"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    ck = torch.load(args.checkpoint)
    model = TinyClip(ck["dim"], ck["used_ids"])
    model.load_state_dict(ck["state"])
    model.eval()
    tok = ClipTokenizer(BPE)

    images = []
    os.makedirs(os.path.join(args.out, "crops"), exist_ok=True)
    for name, desc in build_images(args.out):
        crop = reference_crop(os.path.join(args.out, "images", name))
        crop_name = name.replace(".", "-") + ".png"
        Image.fromarray(crop, "RGB").save(os.path.join(args.out, "crops", crop_name), "PNG")
        with torch.no_grad():
            emb = model.visual(torch.from_numpy(shapes.normalise(crop))[None])[0]
        emb = torch.nn.functional.normalize(emb, dim=0)
        src = Image.open(os.path.join(args.out, "images", name))
        images.append({"file": "images/" + name, "description": desc, "mode": src.mode, "width": src.width,
                       "height": src.height, "crop": "crops/" + crop_name,
                       "crop_sha256": hashlib.sha256(crop.tobytes()).hexdigest(),
                       "embedding": [round(float(v), 7) for v in emb]})
    texts = []
    for text in TEXTS:
        ids = tok.tokenize(text)
        with torch.no_grad():
            emb = torch.nn.functional.normalize(model.text(torch.tensor([ids]))[0], dim=0)
        texts.append({"text": text, "ids": ids, "embedding": [round(float(v), 7) for v in emb]})
    doc = {"model": "sightline/tiny-clip", "note": "reference: PIL + torch; see models/scripts/fixture.py",
           "images": images, "texts": texts}
    with open(os.path.join(args.out, "parity.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
    print(f"wrote {len(images)} images and {len(texts)} texts to {args.out}/parity.json")


if __name__ == "__main__":
    main()
