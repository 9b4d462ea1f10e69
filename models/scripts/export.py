"""Export a trained checkpoint into the bundled model folder, in the HF/Xenova CLIP ONNX layout.

usage: export.py --checkpoint tiny-clip.pt --out ../tiny-clip"""
import argparse
import json
import os
import shutil

import torch

import shapes
from clip_tokenizer import CONTEXT_LENGTH, ClipTokenizer, write_tokenizer_files
from model import TinyClip, param_count
from train import BPE

MODEL_ID = "sightline/tiny-clip"
VERSION = "2.0.0"
OPSET = 17


class VisionModel(torch.nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.visual = clip.visual

    def forward(self, pixel_values):
        return self.visual(pixel_values)


class TextModel(torch.nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.text = clip.text

    def forward(self, input_ids):
        return self.text(input_ids)


def load(checkpoint):
    ck = torch.load(checkpoint)
    model = TinyClip(ck["dim"], ck["used_ids"])
    model.load_state_dict(ck["state"])
    model.eval()
    # The id -> row table ships as int32: half the bytes, same values.
    model.text.remap = model.text.remap.to(torch.int32)
    return model, ck


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    model, ck = load(args.checkpoint)
    tok = ClipTokenizer(BPE)

    with torch.no_grad():
        torch.onnx.export(VisionModel(model), torch.zeros(2, 3, 224, 224), os.path.join(args.out, "vision_model.onnx"),
                          input_names=["pixel_values"], output_names=["image_embeds"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=True)
        ids = torch.tensor([tok.tokenize("a photo of a red circle."), tok.tokenize("a blue star on a dark bac")])
        torch.onnx.export(TextModel(model), ids, os.path.join(args.out, "text_model.onnx"),
                          input_names=["input_ids"], output_names=["text_embeds"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "text_embeds": {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=True)

    write_tokenizer_files(tok, args.out)
    shutil.copyfile(os.path.join(os.path.dirname(BPE), "LICENSE"), os.path.join(args.out, "LICENSE-clip-bpe"))
    with open(os.path.join(args.out, "preprocessor_config.json"), "w") as f:
        json.dump({
            "image_processor_type": "CLIPImageProcessor",
            "do_resize": True, "size": {"shortest_edge": 224}, "resample": 3,
            "do_center_crop": True, "crop_size": {"height": 224, "width": 224},
            "do_rescale": True, "rescale_factor": 1 / 255,
            "do_normalize": True, "image_mean": [float(v) for v in shapes.MEAN], "image_std": [float(v) for v in shapes.STD],
            "do_convert_rgb": True,
        }, f, indent=2)
    scale = float(model.logit_scale.exp().clamp(max=100))
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump({
            "model_id": MODEL_ID,
            "version": VERSION,
            "model_type": "clip",
            "projection_dim": ck["dim"],
            "logit_scale": round(scale, 4),
            "context_length": CONTEXT_LENGTH,
            "image_size": 224,
            "vision": {"type": "convnet", "parameters": param_count(model.visual)},
            "text": {"type": "causal-transformer", "width": 128, "layers": 3, "heads": 4,
                     "vocab_rows": len(ck["used_ids"]) + 1, "parameters": param_count(model.text)},
            "training": {"seed": ck["seed"], "steps": ck["steps"], "batch": ck["batch"], "images": ck["images"],
                         "seconds": ck["train_seconds"], "held_out": sorted(f"{c} {s}" for c, s in shapes.HELD_OUT)},
            "onnx_opset": OPSET,
        }, f, indent=2)
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"exported to {args.out}: {total / 1e6:.2f} MB, logit scale {scale:.2f}")


if __name__ == "__main__":
    main()
