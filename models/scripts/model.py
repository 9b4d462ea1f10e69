"""Tiny CLIP: a small convolutional image tower, a causal transformer text tower, one shared space."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CONTEXT_LENGTH = 77
FULL_VOCAB = 49408


def conv_bn(cin, cout, k, s):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, padding=(k - 1) // 2 if k == 3 else 0, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class ImageTower(nn.Module):
    """224x224 RGB -> embedding; a patchifying stem then strided 3x3 convolutions, avg+max pooled."""

    def __init__(self, dim):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(3, 32, 4, 4),  # 56
            conv_bn(32, 64, 3, 2),  # 28
            conv_bn(64, 64, 3, 1),
            conv_bn(64, 128, 3, 2),  # 14
            conv_bn(128, 128, 3, 1),
            conv_bn(128, 160, 3, 2),  # 7
            conv_bn(160, 160, 3, 1),  # receptive field 172 px: a whole large shape
        )
        self.proj = nn.Linear(320, dim)

    def pooled(self, x):
        f = self.features(x)
        return torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=1)

    def forward(self, x):
        return self.proj(self.pooled(x))


class Attention(nn.Module):
    """Multi-head causal self-attention written out plainly, so that torch 1.13 exports it to ONNX."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x, mask):
        b, n, w = x.shape
        hd = w // self.heads
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd)) + mask
        att = att.softmax(dim=-1)
        return self.out((att @ v).transpose(1, 2).reshape(b, n, w))


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, mask):
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


class TextTower(nn.Module):
    """CLIP token ids -> embedding; pooled at the end-of-text token (the highest id, found by argmax).

    Only the token ids the training captions use get rows in the embedding table: `remap` sends every CLIP id
    to its compact row, and every other id to one shared unknown row."""

    def __init__(self, dim, used_ids, width=128, heads=4, layers=3):
        super().__init__()
        remap = torch.full((FULL_VOCAB,), len(used_ids), dtype=torch.long)
        remap[torch.tensor(used_ids, dtype=torch.long)] = torch.arange(len(used_ids))
        self.register_buffer("remap", remap)
        self.token_embedding = nn.Embedding(len(used_ids) + 1, width)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT_LENGTH, width) * 0.01)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim, bias=False)
        self.register_buffer("mask", torch.full((CONTEXT_LENGTH, CONTEXT_LENGTH), float("-inf")).triu(1))

    def forward(self, input_ids):
        n = input_ids.shape[1]
        x = self.token_embedding(self.remap[input_ids].long()) + self.positional_embedding[:n]
        mask = self.mask[:n, :n]
        for blk in self.blocks:
            x = blk(x, mask)
        x = self.ln_final(x)
        pooled = x[torch.arange(x.shape[0]), input_ids.argmax(dim=-1)]
        return self.proj(pooled)


class TinyClip(nn.Module):
    def __init__(self, dim, used_ids, n_colours=8, n_shapes=5):
        super().__init__()
        self.visual = ImageTower(dim)
        self.text = TextTower(dim, used_ids)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        # Training-only probes on the pooled image features (colour, shape); not exported.
        self.colour_probe = nn.Linear(320, n_colours)
        self.shape_probe = nn.Linear(320, n_shapes)

    def forward(self, images, ids):
        pooled = self.visual.pooled(images)
        i = F.normalize(self.visual.proj(pooled), dim=-1)
        t = F.normalize(self.text(ids), dim=-1)
        return i, t, self.logit_scale.exp().clamp(max=100), self.colour_probe(pooled), self.shape_probe(pooled)


def param_count(m):
    return sum(p.numel() for p in m.parameters())
