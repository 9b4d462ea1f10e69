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

# Ordinary shades of each colour name as HSV ranges (hue in degrees, saturation, value): wide on purpose, a
# colour name covers light and dark, pale and vivid shades (dark orange is brown and pale red pink: excluded).
_HSV = {
    "red": ((-12, 10), (0.60, 1.0), (0.40, 1.0)),
    "orange": ((18, 38), (0.72, 1.0), (0.80, 1.0)),
    "yellow": ((47, 64), (0.60, 1.0), (0.80, 1.0)),
    "green": ((80, 160), (0.45, 1.0), (0.32, 1.0)),
    "blue": ((195, 248), (0.50, 1.0), (0.38, 1.0)),
    "purple": ((262, 300), (0.40, 1.0), (0.32, 0.95)),
}
BACKGROUNDS = ["solid", "gradient", "noise", "stripes", "checkers", "texture"]

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

# Captions that name only the shape or only the colour, as web captions are often less specific: an image
# matches such a caption whatever its other attribute, which teaches both towers the two attributes apart
# (what the held-out combinations need).
SHAPE_ONLY_TEMPLATES = ["a {s}", "a photo of a {s}.", "a drawing of a {s}.", "the {s}"]
COLOUR_ONLY_TEMPLATES = ["something {c}", "a photo of something {c}.", "it is {c}"]


def _hsv(h_deg, s, v):
    r, g, b = colorsys.hsv_to_rgb((h_deg % 360) / 360.0, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def shade(colour, rng):
    """An RGB shade of a named colour, anywhere in the name's ordinary range."""
    if colour == "white":
        return _hsv(rng.uniform(0, 360), rng.uniform(0.0, 0.10), rng.uniform(0.88, 1.0))
    if colour == "black":
        return _hsv(rng.uniform(0, 360), rng.uniform(0.0, 0.4), rng.uniform(0.0, 0.15))
    (h0, h1), (s0, s1), (v0, v1) = _HSV[colour]
    return _hsv(rng.uniform(h0, h1), rng.uniform(s0, s1), rng.uniform(v0, v1))


def _hue_distance(a, b):
    return abs((a - b + 180) % 360 - 180)


def background_colour(colour, rng):
    """A background colour never of the shape's colour family: another colour name far enough in hue, a grey,
    or a muted tint; never light behind white nor dark behind black."""
    while True:
        k = rng.random()
        if k < 0.3:
            other = rng.choice([c for c in COLOURS if c != colour])
            if other in _HSV and colour in _HSV:
                if _hue_distance(sum(_HSV[other][0]) / 2, sum(_HSV[colour][0]) / 2) < 40:
                    continue
            rgb = shade(other, rng)
        elif k < 0.6:
            g = rng.uniform(0.15, 0.85)
            rgb = _hsv(0, 0, g)
        else:
            hue = rng.uniform(0, 360)
            if colour in _HSV and _hue_distance(hue, sum(_HSV[colour][0]) / 2) < 40:
                continue
            rgb = _hsv(hue, rng.uniform(0.05, 0.3), rng.uniform(0.2, 0.8))
        v = max(rgb) / 255.0
        if colour == "white" and (v > 0.75 or min(rgb) > 170):
            continue
        if colour == "black" and v < 0.3:
            continue
        return rgb


def _field(h, w, rng, kind):
    """A 0..1 pattern over the image that mixes two background colours."""
    if kind in ("solid", "noise"):
        return None
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * math.pi)
    u = x * math.cos(a) + y * math.sin(a)
    if kind == "gradient":
        return (u - u.min()) / max(1.0, float(u.max() - u.min()))
    if kind == "stripes":
        return (np.floor(u / rng.uniform(4, max(6, min(h, w) / 5))) % 2).astype(np.float32)
    if kind == "checkers":
        cell = rng.uniform(5, max(7, min(h, w) / 6))
        v = -x * math.sin(a) + y * math.cos(a)
        return ((np.floor(u / cell) + np.floor(v / cell)) % 2).astype(np.float32)
    # texture: a few random waves plus grain
    t = np.zeros((h, w), np.float32)
    for _ in range(rng.randint(3, 7)):
        fx, fy = rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3)
        t += np.sin(x * fx + y * fy + rng.uniform(0, 6.3))
    t += np.random.default_rng(rng.randrange(1 << 30)).standard_normal((h, w), dtype=np.float32) * np.float32(0.7)
    return (t - t.min()) / max(1e-6, float(t.max() - t.min()))


def background(colour, h, w, rng):
    """The background array (float32 HxWx3) and its kind."""
    kind = rng.choice(BACKGROUNDS)
    c1 = np.array(background_colour(colour, rng), np.float32)
    t = _field(h, w, rng, kind)
    if t is None:
        arr = np.empty((h, w, 3), np.float32)
        arr[:] = c1
    else:
        c2 = np.array(background_colour(colour, rng), np.float32)
        arr = c1 + t[..., None] * (c2 - c1)
    if kind == "noise" or rng.random() < 0.15:
        grain = np.random.default_rng(rng.randrange(1 << 30)).standard_normal(arr.shape, dtype=np.float32)
        arr += grain * np.float32(rng.uniform(4, 24))
    return arr, kind


def _outline(shape, rng):
    """The shape's outline in unit coordinates (circumradius 1, pointing up), with varied proportions."""
    def polar(deg, rr=1.0):
        return rr * math.cos(math.radians(deg)), rr * math.sin(math.radians(deg))

    if shape == "circle":
        return [polar(i * 3) for i in range(120)]
    if shape == "square":
        # corners from sharp to rounded: each corner replaced by a quarter arc of radius rc
        half, rc = 1 / math.sqrt(2), rng.choice([0.0, 0.0, rng.uniform(0.02, 0.3)]) / math.sqrt(2)
        pts = []
        for qx, qy, a0 in ((1, 1, 0), (-1, 1, 90), (-1, -1, 180), (1, -1, 270)):
            cx, cy = qx * (half - rc), qy * (half - rc)
            pts += [(cx + rc * math.cos(math.radians(a0 + k * 10)), cy + rc * math.sin(math.radians(a0 + k * 10)))
                    for k in range(10 if rc else 1)]
        return pts
    if shape == "triangle":
        # isosceles inscribed in the unit circle, apex angle 35-85 deg (60 = equilateral): base at 90 +- apex
        apex = rng.uniform(35, 85) if rng.random() < 0.7 else 60.0
        return [polar(-90), polar(90 - apex), polar(90 + apex)]
    if shape == "star":
        points = 5 if rng.random() < 0.85 else 6
        inner = rng.uniform(0.32, 0.62)
        return [polar(-90 + k * 180 / points, 1.0 if k % 2 == 0 else inner) for k in range(2 * points)]
    if shape == "cross":
        w, L = rng.uniform(0.16, 0.40), rng.uniform(0.85, 1.0)
        return [(-w, -L), (w, -L), (w, -w), (L, -w), (L, w), (w, w), (w, L), (-w, L), (-w, w), (-L, w), (-L, -w),
                (-w, -w)]
    raise ValueError(shape)


def _mask(shape, r, rot, antialias, rng):
    """Coverage mask (float32 0..1) of the shape on a square patch; returns (mask, patch half-size)."""
    pts = _outline(shape, rng)
    c, s = math.cos(rot), math.sin(rot)
    ss = 4 if antialias else 1
    half = int(math.ceil(r)) + 2
    n = 2 * half * ss
    poly = [((x * c - y * s) * r * ss + n / 2, (x * s + y * c) * r * ss + n / 2) for x, y in pts]
    m = Image.new("L", (n, n), 0)
    ImageDraw.Draw(m).polygon(poly, fill=255)
    if ss > 1:
        m = m.resize((2 * half, 2 * half), Image.BOX)
    return np.asarray(m, np.float32) / 255.0, half


def render(colour, shape, rng, size=None, fmt=None):
    """One image of a coloured shape and its attributes; returns (PIL RGB image, info dict)."""
    if size:
        w, h = size
    else:
        short, aspect = rng.randint(128, 512), rng.uniform(0.6, 1.8)
        w, h = (short, int(short * aspect)) if rng.random() < 0.5 else (int(short * aspect), short)
    short = min(w, h)
    frac = rng.uniform(0.15, 0.70)  # nominal diameter over the short side
    r = frac * short / 2
    # Keep the shape inside the central square so that a centre crop never cuts it off.
    x0, y0 = (w - short) / 2, (h - short) / 2
    cx = rng.uniform(x0 + r + 1, x0 + short - r - 1)
    cy = rng.uniform(y0 + r + 1, y0 + short - r - 1)

    arr, bg_kind = background(colour, h, w, rng)
    bg_lum = float(arr.mean()) / 255.0
    antialias = rng.random() < 0.6
    rot = rng.uniform(0, 2 * math.pi)
    mask, half = _mask(shape, r, rot, antialias, rng)
    fill = np.array(shade(colour, rng), np.float32)
    ix, iy = int(round(cx)) - half, int(round(cy)) - half
    # clip the patch to the image (a shape touching the border keeps its visible part)
    px0, py0 = max(0, -ix), max(0, -iy)
    px1, py1 = min(mask.shape[1], w - ix), min(mask.shape[0], h - iy)
    m = mask[py0:py1, px0:px1, None]
    region = arr[iy + py0:iy + py1, ix + px0:ix + px1]
    paint = np.broadcast_to(fill, region.shape)
    if rng.random() < 0.35:  # gentle light falling across the shape
        ramp = np.linspace(1 - rng.uniform(0, 0.15), 1 + rng.uniform(0, 0.15), region.shape[0], dtype=np.float32)
        paint = np.clip(paint * ramp[:, None, None], 0, 255)
    arr[iy + py0:iy + py1, ix + px0:ix + px1] = region * (1 - m) + paint * m
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    if rng.random() < 0.25:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5)))

    fmt = fmt or rng.choice(["PNG", "JPEG"])
    if fmt == "JPEG":  # a PNG round trip is lossless: only JPEG changes the pixels
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.randint(50, 95))
        buf.seek(0)
        img = Image.open(buf).convert("RGB")
    info = {"colour": colour, "shape": shape, "size": "small" if frac < 0.3 else ("large" if frac > 0.5 else ""),
            "size_frac": frac, "rotation": math.degrees(rot), "background_kind": bg_kind,
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


def training_caption(info, rng, shape_only=False):
    """(caption, colour or None, shape or None): mostly a full caption, sometimes one naming a single attribute."""
    k = rng.random()
    if shape_only or k < 0.15:
        return rng.choice(SHAPE_ONLY_TEMPLATES).format(s=info["shape"]), None, info["shape"]
    if k < 0.25:
        return rng.choice(COLOUR_ONLY_TEMPLATES).format(c=info["colour"]), info["colour"], None
    return caption(info, rng), info["colour"], info["shape"]


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


def sample(seed, i):
    """Image i of a seeded evaluation stream over all 40 classes (class i mod 40): (PIL RGB image, info)."""
    colour, shape = CLASSES[i % len(CLASSES)]
    img, info = render(colour, shape, seeded(seed * 1000003 + i))
    return img, dict(info, held_out=(colour, shape) in HELD_OUT)
