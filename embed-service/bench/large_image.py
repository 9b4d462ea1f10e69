"""Writes the benchmark's large photo-like JPEG (1600x1200, quality 90, 4:2:0): smooth gradients, soft shapes and
sensor-like noise, so its entropy-coded size is that of a camera picture, not of a flat drawing.
usage: large_image.py OUT.jpg"""
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

rng = np.random.default_rng(7)
w, h = 1600, 1200
y, x = np.mgrid[0:h, 0:w].astype(np.float32)
base = np.stack([120 + 80 * np.sin(x / 210), 110 + 70 * np.cos(y / 170), 100 + 60 * np.sin((x + y) / 300)], -1)
img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
draw = ImageDraw.Draw(img)
for _ in range(40):
    cx, cy, r = rng.integers(0, w), rng.integers(0, h), rng.integers(30, 260)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
img = img.filter(ImageFilter.GaussianBlur(6))
noisy = np.asarray(img, dtype=np.float32) + rng.normal(0, 6, (h, w, 3))
Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(sys.argv[1], quality=90, subsampling=2)
