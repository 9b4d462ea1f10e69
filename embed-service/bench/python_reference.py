"""The Python baselines of the embed benchmark: raw onnxruntime and the Pillow + onnxruntime pipeline that Python
peers run (what a 20-line script does), measured on the same model, images and machine as embed-service.

Prints one JSON object on stdout (progress on stderr). usage:
  python_reference.py VISION_ONNX TEXT_ONNX SMALL_JPEG LARGE_JPEG SECONDS_PER_POINT"""
import json
import os
import resource
import sys
import time

import numpy as np
import onnxruntime as ort
import PIL
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32).reshape(3, 1, 1)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32).reshape(3, 1, 1)
# "a photo of a red circle." as CLIP's tokenizer gives it: the service embeds the same ids.
IDS = [49406, 320, 1125, 539, 320, 736, 7117, 269, 49407]


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn, items_per_call, seconds):
    """Calls fn until `seconds` have passed (after one warm-up call): items/s, p50/p99 ms per call, CPU s per item."""
    fn()
    lat = []
    cpu0, start = cpu_seconds(), time.perf_counter()
    end = start + seconds
    while True:
        t = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t)
        if t + lat[-1] >= end:
            break
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu0
    lat.sort()
    items = items_per_call * len(lat)
    return {"items_per_s": items / wall, "p50_ms": lat[len(lat) // 2] * 1e3,
            "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3, "cpu_s_per_item": cpu / items}


def preprocess(path):
    """CLIPImageProcessor's steps with Pillow: RGB, bicubic resize of the short side to 224, centre crop, normalise."""
    img = Image.open(path).convert("RGB")
    w, h = img.size
    s = 224 / min(w, h)
    img = img.resize((max(224, round(w * s)), max(224, round(h * s))), Image.BICUBIC)
    left, top = (img.width - 224) // 2, (img.height - 224) // 2
    img = img.crop((left, top, left + 224, top + 224))
    x = np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0
    return (x - MEAN) / STD


def session(path):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def main():
    vision_path, text_path, small, large, seconds = sys.argv[1:6]
    seconds = float(seconds)
    out = {"onnxruntime": ort.__version__, "pillow": PIL.__version__, "cores": os.cpu_count()}
    vision = session(vision_path)
    name = vision.get_inputs()[0].name
    out_name = [o.name for o in vision.get_outputs() if len(o.shape) == 2][0]
    rng = np.random.default_rng(1)
    raw = {}
    for b in (1, 8, 16, 32):
        x = rng.standard_normal((b, 3, 224, 224), dtype=np.float32)
        raw[b] = timed(lambda: vision.run([out_name], {name: x}), b, seconds / 2)
        print(f"python raw image batch {b}: {raw[b]['items_per_s']:.1f}/s", file=sys.stderr, flush=True)
    best = max(raw, key=lambda b: raw[b]["items_per_s"])
    out["raw_image"] = {"best_batch": best, **raw[best], "by_batch": {str(b): raw[b]["items_per_s"] for b in raw}}

    out["pipeline"] = {}
    for label, path in (("small", small), ("large", large)):
        def run8():
            batch = np.stack([preprocess(path) for _ in range(8)])
            vision.run([out_name], {name: batch})
        out["pipeline"][label] = timed(run8, 8, seconds)
        print(f"python pipeline {label}: {out['pipeline'][label]['items_per_s']:.1f}/s", file=sys.stderr, flush=True)
        t = timed(lambda: preprocess(path), 1, seconds / 4)
        out["pipeline"][label]["preprocess_ms"] = 1000 / t["items_per_s"]
    del vision

    text = session(text_path)
    names = [i.name for i in text.get_inputs()]
    t_out = [o.name for o in text.get_outputs() if len(o.shape) == 2][0]
    dtype = np.int32 if "int32" in text.get_inputs()[0].type else np.int64
    out["raw_text"] = {}
    for b in (1, 32):
        ids = np.array([IDS] * b, dtype=dtype)
        feed = {names[0]: ids}
        if "attention_mask" in names:
            feed["attention_mask"] = np.ones_like(ids, dtype=np.int64)
        out["raw_text"][str(b)] = timed(lambda: text.run([t_out], feed), b, seconds / 2)
        print(f"python raw text batch {b}: {out['raw_text'][str(b)]['items_per_s']:.1f}/s", file=sys.stderr, flush=True)
    out["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
