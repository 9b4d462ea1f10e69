"""Independent evaluation renderer for the coloured-shapes world.  NEVER USED FOR TRAINING.

Written from the written description of the classes only (8 colour names x 5 shape names, six held-out
combinations); it shares no code, constants, palettes or drawing calls with the training generator
(shapes.py / data.py / train.py) and must never import them.  Shapes are rasterised with numpy from signed
distance functions (antialiased by SDF pixel coverage, or hard edges); colours are sampled in HSL around each
colour name's ordinary range; backgrounds are never of the shape's colour family.

What varies per image: full rotation 0-360 deg; proportions (star inner/outer radius, cross arm width,
triangles from equilateral to isosceles, square corner rounding); size 15-70 % of the short side (nominal
diameter); position anywhere inside the central square of the image (the part a CLIP centre crop keeps);
background solid / gradient / noise / stripes / checkers / texture; antialiased or hard edges; optional blur;
PNG or JPEG (quality 50-95); image sides 128-512 px with aspect ratios 0.6-1.8.

Deterministic: image i of seed s is always the same (`sample(seed, i)`).

    /usr/bin/python3 models/scripts/independent_shapes.py --out /tmp/indep --n 40   # write PNG/JPEG files
    ... --classes red:triangle,yellow:triangle   # only those classes
"""
import argparse
import colorsys
import io
import json
import os

import numpy as np
from PIL import Image

COLOURS = ["red", "green", "blue", "yellow", "orange", "purple", "white", "black"]
SHAPES = ["circle", "square", "triangle", "star", "cross"]
HELD_OUT = {("red", "triangle"), ("green", "star"), ("blue", "cross"),
            ("orange", "circle"), ("purple", "square"), ("white", "star")}
CLASSES = [(c, s) for c in COLOURS for s in SHAPES]

# Ordinary range of each colour name in HSL: (hue centre deg, hue half-width, sat range, light range).
# Achromatic names use any hue.
_HSL = {
    "red":    (0, 9, (0.70, 1.00), (0.36, 0.54)),
    "orange": (29, 6, (0.85, 1.00), (0.50, 0.60)),
    "yellow": (55, 5, (0.80, 1.00), (0.50, 0.62)),
    "green":  (122, 22, (0.50, 0.95), (0.27, 0.48)),
    "blue":   (222, 16, (0.65, 1.00), (0.38, 0.58)),
    "purple": (282, 12, (0.45, 0.85), (0.30, 0.48)),
    "white":  (None, 0, (0.00, 0.12), (0.93, 1.00)),
    "black":  (None, 0, (0.00, 0.20), (0.00, 0.09)),
}


def _hsl_rgb(h, s, l):
    r, g, b = colorsys.hls_to_rgb((h % 360) / 360.0, l, s)
    return np.array([r, g, b], dtype=np.float32) * 255.0


def colour_of(name, rng):
    """An ordinary shade of the named colour, RGB float32 0-255."""
    hc, hw, (s0, s1), (l0, l1) = _HSL[name]
    h = rng.uniform(0, 360) if hc is None else hc + rng.uniform(-hw, hw)
    return _hsl_rgb(h, rng.uniform(s0, s1), rng.uniform(l0, l1))


def family(rgb):
    """Which colour name (or 'grey'/'muted') an RGB value would be called; used to keep backgrounds apart."""
    r, g, b = (float(x) / 255.0 for x in rgb)
    h, l, s = colorsys.rgb_to_hls(r, g, b)
    h *= 360
    if l > 0.85 and s < 0.35 or l > 0.92:
        return "white"
    if l < 0.16:
        return "black"
    if s < 0.25 or l > 0.80:
        return "grey" if s < 0.12 else "muted"
    if h < 17 or h >= 335:
        return "red"
    if h < 42:
        return "orange"
    if h < 70:
        return "yellow"
    if h < 170:
        return "green"
    if h < 255:
        return "blue"
    return "purple"


def _hue_far(name, rgb, min_deg=55):
    hc = _HSL[name][0]
    if hc is None:
        return True
    r, g, b = (float(x) / 255.0 for x in rgb)
    h = colorsys.rgb_to_hls(r, g, b)[0] * 360
    d = abs((h - hc + 180) % 360 - 180)
    return d >= min_deg


def background_colour(name, rng):
    """A background colour that is not of the shape colour's family and contrasts with it enough."""
    for _ in range(200):
        k = rng.random()
        if k < 0.35:      # another colour name
            other = COLOURS[rng.integers(len(COLOURS))]
            if other == name:
                continue
            c = colour_of(other, rng)
        elif k < 0.65:    # grey
            v = rng.uniform(0.22, 0.78)
            c = np.array([v, v, v], dtype=np.float32) * 255.0 + rng.uniform(-6, 6, 3).astype(np.float32)
        else:             # muted tint of any hue
            c = _hsl_rgb(rng.uniform(0, 360), rng.uniform(0.08, 0.35), rng.uniform(0.22, 0.80))
        c = np.clip(c, 0, 255)
        fam = family(c)
        if fam == name or not _hue_far(name, c):
            continue
        if name == "white" and c.mean() > 200 or name == "black" and c.mean() < 50:
            continue
        return c
    return np.array([128.0, 128.0, 128.0], dtype=np.float32)


# ---------------------------------------------------------------- signed distance functions (unit = radius R)

def _sd_convex(px, py, verts):
    """Signed distance (exact inside and near edges) to a convex polygon with counter-clockwise vertices."""
    d = np.full(px.shape, -np.inf, dtype=np.float32)
    n = len(verts)
    for i in range(n):
        (x0, y0), (x1, y1) = verts[i], verts[(i + 1) % n]
        ex, ey = x1 - x0, y1 - y0
        ln = np.hypot(ex, ey)
        nx, ny = ey / ln, -ex / ln            # outward normal for CCW order (y down handled by orientation fix)
        d = np.maximum(d, (px - x0) * nx + (py - y0) * ny)
    return d


def _ccw(verts):
    a = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(verts, verts[1:] + verts[:1]))
    return verts if a > 0 else verts[::-1]    # outward normal (ey, -ex) needs positive shoelace area (y down)


def sd_circle(px, py, p):
    return np.hypot(px, py) - 1.0


def sd_square(px, py, p):
    h, rc = p["half"], p["round"] * p["half"]
    qx, qy = np.abs(px) - (h - rc), np.abs(py) - (h - rc)
    out = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0))
    inside = np.minimum(np.maximum(qx, qy), 0)
    return out + inside - rc


def sd_triangle(px, py, p):
    # apex up at (0, -1); base at y = base_y with half-width w (equilateral: base_y 0.5, w 0.866)
    verts = [(0.0, -1.0), (p["w"], p["base_y"]), (-p["w"], p["base_y"])]
    return _sd_convex(px, py, _ccw(verts))


def sd_star(px, py, p):
    ri = p["inner"]
    outer = [(np.cos(np.radians(-90 + 72 * k)), np.sin(np.radians(-90 + 72 * k))) for k in range(5)]
    inner = [(ri * np.cos(np.radians(-54 + 72 * k)), ri * np.sin(np.radians(-54 + 72 * k))) for k in range(5)]
    d = _sd_convex(px, py, _ccw(inner))
    for k in range(5):
        spike = [outer[k], inner[k], inner[(k - 1) % 5]]
        d = np.minimum(d, _sd_convex(px, py, _ccw(spike)))
    return d


def sd_cross(px, py, p):
    t, L = p["arm"], p["len"]
    def box(hx, hy):
        qx, qy = np.abs(px) - hx, np.abs(py) - hy
        return np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) + np.minimum(np.maximum(qx, qy), 0)
    return np.minimum(box(L, t), box(t, L))


_SDF = {"circle": sd_circle, "square": sd_square, "triangle": sd_triangle, "star": sd_star, "cross": sd_cross}


def proportions(shape, rng):
    if shape == "square":
        return {"half": rng.uniform(0.72, 0.86), "round": rng.choice([0.0, rng.uniform(0.0, 0.3)])}
    if shape == "triangle":
        # from equilateral to isosceles (tall/narrow or low/wide); apex at the top before rotation
        base_y = rng.uniform(0.35, 0.75)
        w = rng.uniform(0.6, 1.05) * 0.866
        return {"base_y": base_y, "w": w}
    if shape == "star":
        return {"inner": rng.uniform(0.36, 0.58)}
    if shape == "cross":
        return {"arm": rng.uniform(0.17, 0.36), "len": rng.uniform(0.85, 1.0)}
    return {}


# ---------------------------------------------------------------- backgrounds

def _field(h, w, rng, kind):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "gradient":
        a = rng.uniform(0, 2 * np.pi)
        t = x * np.cos(a) + y * np.sin(a)
        return (t - t.min()) / max(1e-6, t.max() - t.min())
    if kind == "stripes":
        a = rng.uniform(0, np.pi)
        period = rng.uniform(6, max(8, min(h, w) / 4))
        t = (x * np.cos(a) + y * np.sin(a)) / period
        return (np.floor(t) % 2).astype(np.float32)
    if kind == "checkers":
        a = rng.uniform(0, np.pi / 2)
        cell = rng.uniform(6, max(8, min(h, w) / 5))
        u = (x * np.cos(a) + y * np.sin(a)) / cell
        v = (-x * np.sin(a) + y * np.cos(a)) / cell
        return ((np.floor(u) + np.floor(v)) % 2).astype(np.float32)
    if kind == "texture":
        t = np.zeros((h, w), np.float32)
        for _ in range(6):
            fx, fy = rng.uniform(-0.25, 0.25, 2)
            t += np.sin(x * fx + y * fy + rng.uniform(0, 6.3)).astype(np.float32)
        t += 0.6 * rng.standard_normal((h, w)).astype(np.float32)
        return (t - t.min()) / max(1e-6, t.max() - t.min())
    return np.zeros((h, w), np.float32)


def background(name, h, w, rng):
    kind = ["solid", "gradient", "noise", "stripes", "checkers", "texture"][rng.integers(6)]
    c1 = background_colour(name, rng)
    c2 = c1 if kind in ("solid", "noise") else background_colour(name, rng)
    t = _field(h, w, rng, kind)[..., None]
    img = c1 * (1 - t) + c2 * t
    if kind == "noise":
        img = img + rng.normal(0, rng.uniform(6, 24), (h, w, 3)).astype(np.float32)
    return img.astype(np.float32), kind


def _gauss_blur(img, sigma):
    r = max(1, int(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2).astype(np.float32)
    k /= k.sum()
    pad = np.pad(img, ((r, r), (r, r), (0, 0)), mode="edge")
    tmp = sum(k[i] * pad[:, i:i + img.shape[1]] for i in range(2 * r + 1))
    return sum(k[i] * tmp[i:i + img.shape[0]] for i in range(2 * r + 1))


# ---------------------------------------------------------------- one image

def render(colour, shape, rng):
    """One image; returns (encoded bytes, PIL RGB image as decoded, info dict)."""
    short = int(rng.integers(128, 513))
    aspect = rng.uniform(0.6, 1.8)
    if rng.random() < 0.5:
        h, w = short, int(round(short * aspect))
    else:
        w, h = short, int(round(short * aspect))
    short = min(h, w)
    size_frac = rng.uniform(0.15, 0.70)           # nominal diameter / short side
    R = size_frac * short / 2
    # anywhere inside the central square (what a CLIP centre crop keeps)
    x0, y0 = (w - short) / 2, (h - short) / 2
    cx = x0 + rng.uniform(R + 1, short - R - 1)
    cy = y0 + rng.uniform(R + 1, short - R - 1)
    rot = rng.uniform(0, 360)
    prop = proportions(shape, rng)

    img, bg_kind = background(colour, h, w, rng)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = np.radians(rot)
    dx, dy = (xx + 0.5 - cx) / R, (yy + 0.5 - cy) / R
    px = dx * np.cos(a) + dy * np.sin(a)          # rotate the sample points by -rot: the shape turns by +rot
    py = -dx * np.sin(a) + dy * np.cos(a)
    d = _SDF[shape](px, py, prop) * R              # distance in pixels
    aa = bool(rng.random() < 0.7)
    cover = np.clip(0.5 - d, 0.0, 1.0) if aa else (d < 0).astype(np.float32)
    fill = colour_of(colour, rng)
    if rng.random() < 0.4:                         # gentle lighting across the shape
        g = rng.uniform(-0.12, 0.12)
        shade = 1.0 + g * np.clip(py, -1, 1)
        fill_img = np.clip(fill[None, None, :] * shade[..., None], 0, 255)
    else:
        fill_img = fill[None, None, :]
    img = img * (1 - cover[..., None]) + fill_img * cover[..., None]
    blur = float(rng.uniform(0.4, 1.6)) if rng.random() < 0.25 else 0.0
    if blur:
        img = _gauss_blur(img, blur)
    pil = Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8), "RGB")
    buf = io.BytesIO()
    quality = int(rng.integers(50, 96)) if rng.random() < 0.6 else 0
    if quality:
        pil.save(buf, "JPEG", quality=quality)
    else:
        pil.save(buf, "PNG")
    data = buf.getvalue()
    decoded = Image.open(io.BytesIO(data)).convert("RGB")
    info = {"colour": colour, "shape": shape, "held_out": (colour, shape) in HELD_OUT,
            "rotation": round(float(rot), 2), "size_frac": round(float(size_frac), 4),
            "width": w, "height": h, "background": bg_kind, "antialiased": aa,
            "blur": round(blur, 3), "format": "JPEG" if quality else "PNG", "jpeg_quality": quality or None,
            "proportions": {k: round(float(v), 3) for k, v in prop.items()}}
    return data, decoded, info


def sample(seed, i, classes=None):
    """Image i of a seeded stream: classes cycle in a seeded shuffled order so every class is equally used."""
    classes = classes or CLASSES
    order = np.random.default_rng([seed, 0]).permutation(len(classes))
    colour, shape = classes[order[i % len(classes)]]
    rng = np.random.default_rng([seed, 1, i])
    return render(colour, shape, rng)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--classes", help="only these classes, e.g. red:triangle,yellow:triangle (default: all 40)")
    a = ap.parse_args()
    classes = None
    if a.classes:
        classes = [tuple(c.split(":", 1)) for c in a.classes.split(",")]
        unknown = [c for c in classes if c not in CLASSES]
        if unknown:
            ap.error("unknown classes: %s" % unknown)
    os.makedirs(a.out, exist_ok=True)
    infos = []
    for i in range(a.n):
        data, _, info = sample(a.seed, i, classes)
        name = "%04d-%s-%s.%s" % (i, info["colour"], info["shape"], "jpg" if info["format"] == "JPEG" else "png")
        with open(os.path.join(a.out, name), "wb") as f:
            f.write(data)
        infos.append(dict(info, file=name))
    with open(os.path.join(a.out, "index.json"), "w") as f:
        json.dump(infos, f, indent=1)
    print("wrote %d images to %s" % (a.n, a.out))


if __name__ == "__main__":
    main()
