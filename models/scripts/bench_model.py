"""Random-weight CLIP models of the real architectures, for benchmarks only (never committed, never served as a
model that means anything).

Writes the HF/Xenova ONNX layout (onnx/vision_model.onnx, onnx/text_model.onnx, tokenizer.json,
preprocessor_config.json, config.json) with the bundled tokenizer and preprocessing. The graphs have the public
exports' tensor shapes and FLOPs: a pre-LayerNorm ViT image tower (patch convolution, class token, learned positions,
quick-GELU MLPs, projection of the class token) and a causal text transformer pooled at the end-of-text token, with
the HF export's inputs (pixel_values; input_ids + attention_mask) and outputs (image_embeds / text_embeds and
last_hidden_state).

usage: bench_model.py ARCH OUT_DIR      ARCH: vit-b-32 | vit-b-16 | vit-l-14"""
import json
import math
import os
import shutil
import sys
import time

import torch
from torch import nn

# (patch, vision width, vision layers, vision heads, embed dim, text width, text layers, text heads, image size)
ARCHS = {
    "vit-b-32": (32, 768, 12, 12, 512, 512, 12, 8, 224),
    "vit-b-16": (16, 768, 12, 12, 512, 512, 12, 8, 224),
    "vit-l-14": (14, 1024, 24, 16, 768, 768, 12, 12, 224),
}
VOCAB = 49408
CONTEXT = 77
OPSET = 17
HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLED = os.path.join(HERE, "..", "tiny-clip")


class QuickGelu(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    """One pre-LayerNorm transformer layer, attention written out as the HF export traces it."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.q = nn.Linear(width, width)
        self.k = nn.Linear(width, width)
        self.v = nn.Linear(width, width)
        self.out = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), QuickGelu(), nn.Linear(4 * width, width))

    def forward(self, x, mask=None):
        b, n, w = x.shape
        h = self.ln1(x)
        d = w // self.heads

        def split(t):
            return t.reshape(b, n, self.heads, d).transpose(1, 2)

        q, k, v = split(self.q(h) * (d ** -0.5)), split(self.k(h)), split(self.v(h))
        att = q @ k.transpose(-1, -2)
        if mask is not None:
            att = att + mask
        att = att.softmax(-1) @ v
        x = x + self.out(att.transpose(1, 2).reshape(b, n, w))
        return x + self.mlp(self.ln2(x))


class Vision(nn.Module):
    def __init__(self, patch, width, layers, heads, dim, size):
        super().__init__()
        self.patch = nn.Conv2d(3, width, patch, patch, bias=False)
        self.cls = nn.Parameter(torch.randn(width) * 0.02)
        self.pos = nn.Parameter(torch.randn((size // patch) ** 2 + 1, width) * 0.02)
        self.pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.post = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim, bias=False)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], 1, -1), x], 1) + self.pos
        x = self.pre(x)
        for blk in self.blocks:
            x = blk(x)
        return self.proj(self.post(x[:, 0])), x


class Text(nn.Module):
    def __init__(self, width, layers, heads, dim):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, width)
        self.pos = nn.Parameter(torch.randn(CONTEXT, width) * 0.01)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.final = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim, bias=False)

    def forward(self, input_ids, attention_mask):
        n = input_ids.shape[1]
        x = self.tok(input_ids) + self.pos[:n]
        causal = torch.full((n, n), -1e9).triu(1)
        padding = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e9
        mask = causal + padding
        for blk in self.blocks:
            x = blk(x, mask)
        x = self.final(x)
        # Pooled at the end-of-text token, the highest id in CLIP's vocabulary (as the original export does).
        eot = x[torch.arange(x.shape[0]), input_ids.argmax(-1)]
        return self.proj(eot), x


def init(module):
    for p in module.parameters():
        if p.dim() > 1:
            nn.init.normal_(p, std=0.02)


def params(module):
    return sum(p.numel() for p in module.parameters())


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ARCHS:
        sys.exit(__doc__)
    arch, out = sys.argv[1], sys.argv[2]
    patch, vw, vl, vh, dim, tw, tl, th, size = ARCHS[arch]
    torch.manual_seed(0)
    vision, text = Vision(patch, vw, vl, vh, dim, size).eval(), Text(tw, tl, th, dim).eval()
    init(vision)
    init(text)
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    t0 = time.time()
    with torch.no_grad():
        print(f"exporting {arch} image tower ({params(vision) / 1e6:.1f} M parameters) ...", flush=True)
        torch.onnx.export(vision, torch.zeros(2, 3, size, size), os.path.join(out, "onnx", "vision_model.onnx"),
                          input_names=["pixel_values"], output_names=["image_embeds", "last_hidden_state"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"},
                                        "last_hidden_state": {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=True)
        print(f"exporting {arch} text tower ({params(text) / 1e6:.1f} M parameters) ...", flush=True)
        ids = torch.tensor([[49406, 320, 1125, 539, 320, 736, 7117, 269, 49407] + [0] * 68] * 2)
        torch.onnx.export(text, (ids, torch.ones_like(ids)), os.path.join(out, "onnx", "text_model.onnx"),
                          input_names=["input_ids", "attention_mask"], output_names=["text_embeds", "last_hidden_state"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "attention_mask": {0: "batch", 1: "sequence"},
                                        "text_embeds": {0: "batch"}, "last_hidden_state": {0: "batch", 1: "sequence"}},
                          opset_version=OPSET, do_constant_folding=True)
    for f in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json",
              "LICENSE-clip-bpe"]:
        shutil.copyfile(os.path.join(BUNDLED, f), os.path.join(out, f))
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"_name_or_path": f"bench/random-{arch}", "model_type": "clip", "projection_dim": dim,
                   "logit_scale_init_value": math.log(1 / 0.07),
                   "text_config": {"hidden_size": tw, "num_hidden_layers": tl, "num_attention_heads": th,
                                   "max_position_embeddings": CONTEXT, "vocab_size": VOCAB},
                   "vision_config": {"hidden_size": vw, "num_hidden_layers": vl, "num_attention_heads": vh,
                                     "patch_size": patch, "image_size": size},
                   "note": "random weights, for benchmarks only"}, f, indent=2)
    print(f"{arch}: image tower {params(vision):,} parameters, text tower {params(text):,}; "
          f"written to {out} in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
