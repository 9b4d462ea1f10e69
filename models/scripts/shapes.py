"""The synthetic coloured-shape world: colours, shapes, captions and the seeded image generator."""
import colorsys
import io
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

COLOURS = ["red", "green", "blue", "yellow", "orange", "purple", "white", "black"]
SHAPES = ["circle", "square", "triangle", "star", "cross"]
CLASSES = [(c, s) for c in COLOURS for s in SHAPES]

# Never shown during training: the compositional zero-shot test asks for these combinations.
HELD_OUT = {("red", "triangle"), ("green", "star"), ("blue", "cross"),
            ("orange", "circle"), ("purple", "square"), ("white", "star")}
TRAIN_CLASSES = [k for k in CLASSES if k not in HELD_OUT]

# Hue ranges in degrees, saturation and value ranges; each colour is drawn as a range of shades.
_HSV = {
    "red": ((-10, 8), (0.65, 1.0), (0.55, 1.0)),
    "orange": ((20, 34), (0.75, 1.0), (0.85, 1.0)),
    "yellow": ((50, 62), (0.65, 1.0), (0.85, 1.0)),
    "green": ((95, 145), (0.55, 1.0), (0.45, 1.0)),
    "blue": ((205, 240), (0.6, 1.0), (0.5, 1.0)),
    "purple": ((268, 295), (0.5, 1.0), (0.45, 0.95)),
}

TEMPLATES = [
    "a {c} {s}",
    "a photo of a {c} {s}.",
    "a photo of a {z} {c} {s}.",
    "a {c} {s} on a {b} background",
    "an image of a {c} {s}",
    "a drawing of a {c} {s}.",
    "{c} {s}",
    "a picture of a {z} {c} {s}",
    "the {s} is {c}",
    "a {z} {c} {s}",
    "a {c} {s} on a {b} background.",
    "a rendering of a {c} {s}.",
]

ZERO_SHOT_TEMPLATE = "a photo of a {c} {s}."


def shade(colour, rng):
    """An RGB shade of a named colour."""
    if colour == "white":
        v = rng.uniform(0.88, 1.0)
        s = rng.uniform(0.0, 0.08)
        h = rng.uniform(0, 1)
    elif colour == "black":
        v = rng.uniform(0.0, 0.16)
        s = rng.uniform(0.0, 0.3)
        h = rng.uniform(0, 1)
    else:
        (h0, h1), (s0, s1), (v0, v1) = _HSV[colour]
        h = (rng.uniform(h0, h1) % 360) / 360.0
        s = rng.uniform(s0, s1)
        v = rng.uniform(v0, v1)
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def background_colour(colour, rng):
    """A muted background colour that can never be mistaken for the shape's colour."""
    while True:
        h = rng.uniform(0, 1)
        s = rng.uniform(0.0, 0.3)
        v = rng.uniform(0.22, 0.78)
        if colour == "white" and v > 0.7:
            continue
        if colour == "black" and v < 0.35:
            continue
        r, g, b = colorsys.hsv_to_rgb(h, s, v)
        return int(r * 255), int(g * 255), int(b * 255)


def _polygon(shape, cx, cy, r, rot):
    def pt(a, rr):
        return (cx + rr * math.cos(a + rot), cy + rr * math.sin(a + rot))

    if shape == "square":
        return [pt(math.pi / 4 + i * math.pi / 2, r) for i in range(4)]
    if shape == "triangle":
        return [pt(-math.pi / 2 + i * 2 * math.pi / 3, r) for i in range(3)]
    if shape == "star":
        return [pt(-math.pi / 2 + i * math.pi / 5, r if i % 2 == 0 else r * 0.42) for i in range(10)]
    if shape == "cross":
        w = r * 0.34
        base = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w), (-r, w), (-r, -w),
                (-w, -w)]
        c, s = math.cos(rot), math.sin(rot)
        return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in base]
    raise ValueError(shape)


def render(colour, shape, rng, size=None, fmt=None):
    """One image of a coloured shape and its attributes; returns (PIL RGB image, info dict)."""
    w, h = size or (rng.randint(160, 480), rng.randint(160, 480))
    short = min(w, h)
    frac = rng.uniform(0.25, 0.6)
    r = frac * short / 2
    # Keep the shape inside the central square so that a centre crop never cuts it off.
    x0, y0 = (w - short) / 2, (h - short) / 2
    cx = rng.uniform(x0 + r + 2, x0 + short - r - 2)
    cy = rng.uniform(y0 + r + 2, y0 + short - r - 2)

    bg_kind = rng.choice(["solid", "gradient", "noise"])
    c1 = background_colour(colour, rng)
    if bg_kind == "solid":
        arr = np.empty((h, w, 3), np.float32)
        arr[:] = c1
    else:
        c2 = background_colour(colour, rng) if bg_kind == "gradient" else c1
        t = np.linspace(0, 1, w if rng.random() < 0.5 else h, dtype=np.float32)
        ramp = np.outer(t, np.array(c2, np.float32) - np.array(c1, np.float32)) + np.array(c1, np.float32)
        arr = np.broadcast_to(ramp[None, :, :], (h, w, 3)) if len(t) == w else np.broadcast_to(ramp[:, None, :], (h, w, 3))
        arr = arr.copy()
        if bg_kind == "noise":
            nrng = np.random.default_rng(rng.randrange(1 << 30))
            arr += nrng.normal(0, rng.uniform(8, 22), size=arr.shape).astype(np.float32)
    bg_lum = float(arr.mean()) / 255.0
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")

    draw = ImageDraw.Draw(img)
    fill = shade(colour, rng)
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    else:
        draw.polygon(_polygon(shape, cx, cy, r, rng.uniform(-0.35, 0.35)), fill=fill)
    if rng.random() < 0.2:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))

    fmt = fmt or rng.choice(["PNG", "JPEG"])
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.save(buf, "JPEG", quality=rng.randint(70, 95))
    else:
        img.save(buf, "PNG", compress_level=1)
    buf.seek(0)
    img = Image.open(buf).convert("RGB")
    info = {"colour": colour, "shape": shape, "size": "small" if frac < 0.36 else ("large" if frac > 0.48 else ""),
            "background": "dark" if bg_lum < 0.42 else ("light" if bg_lum > 0.58 else "plain")}
    return img, info


def caption(info, rng):
    """A caption for an image, from a randomly chosen template."""
    while True:
        t = rng.choice(TEMPLATES)
        if "{z}" in t and not info["size"]:
            continue
        if "{b}" in t and info["background"] == "plain":
            continue
        text = t.format(c=info["colour"], s=info["shape"], z=info["size"], b=info["background"])
        return text


def clip_preprocess(img, size=224):
    """Reference CLIP preprocessing (as HF CLIPImageProcessor): PIL bicubic shortest side, floor centre crop.

    Returns the uint8 HWC crop; normalisation is applied by `normalise`."""
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    nw, nh = (size, new_long) if w <= h else (new_long, size)
    img = img.resize((nw, nh), resample=Image.BICUBIC)
    top, left = (nh - size) // 2, (nw - size) // 2
    return np.asarray(img.crop((left, top, left + size, top + size)), dtype=np.uint8)


MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)


def normalise(crop_uint8):
    """uint8 HWC crop -> float32 CHW tensor with CLIP normalisation."""
    x = crop_uint8.astype(np.float32) * np.float32(1 / 255.0)
    x = (x - MEAN) / STD
    return x.transpose(2, 0, 1).copy()


def seeded(seed):
    return random.Random(seed)
