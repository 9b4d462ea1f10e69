"""Seeded datasets of preprocessed coloured-shape images, generated in parallel."""
import multiprocessing as mp
import sys
import time

import numpy as np

import shapes


def _one(args):
    seed, colour, shape = args
    rng = shapes.seeded(seed)
    img, info = shapes.render(colour, shape, rng)
    return shapes.clip_preprocess(img), info


def generate(n, seed, classes, workers=2, label="images"):
    """n images (uint8 NxHxWxC crops) with their attributes; class i cycles through `classes`."""
    rng = shapes.seeded(seed)
    jobs = [(rng.randrange(1 << 31),) + classes[rng.randrange(len(classes))] for _ in range(n)]
    out = np.empty((n, 224, 224, 3), np.uint8)
    infos = []
    start = time.time()
    with mp.Pool(workers) as pool:
        for i, (crop, info) in enumerate(pool.imap(_one, jobs, chunksize=64)):
            out[i] = crop
            infos.append(info)
            if (i + 1) % 2000 == 0 or i + 1 == n:
                print(f"  {label}: {i + 1}/{n} ({time.time() - start:.0f}s)", file=sys.stderr, flush=True)
    return out, infos
