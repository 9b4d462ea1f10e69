"""CLIP's byte-pair-encoding tokenizer: the reference algorithm and the HuggingFace tokenizer.json built from it.

The merges come from ../shared/clip-bpe/bpe_simple_vocab_16e6.txt.gz (OpenAI, MIT licence)."""
import gzip
import html
import json
from functools import lru_cache

import regex

SOT, EOT = "<|startoftext|>", "<|endoftext|>"
SOT_ID, EOT_ID = 49406, 49407
CONTEXT_LENGTH = 77
PATTERN = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""


@lru_cache()
def bytes_to_unicode():
    """The reversible byte -> printable unicode map of GPT-2/CLIP."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def load_merges(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    # Header line first; CLIP uses 49152 - 256 - 2 merges.
    return [tuple(m.split()) for m in lines[1:49152 - 256 - 2 + 1]]


def build_vocab(merges):
    chars = list(bytes_to_unicode().values())
    vocab = chars + [c + "</w>" for c in chars] + ["".join(m) for m in merges] + [SOT, EOT]
    return {tok: i for i, tok in enumerate(vocab)}


class ClipTokenizer:
    """A re-implementation of OpenAI's simple_tokenizer (without ftfy, which is not installed here)."""

    def __init__(self, bpe_path=None, merges=None, vocab=None):
        self.byte_encoder = bytes_to_unicode()
        self.merges = merges if merges is not None else load_merges(bpe_path)
        self.encoder = vocab if vocab is not None else build_vocab(self.merges)
        self.bpe_ranks = {m: i for i, m in enumerate(self.merges)}
        self.cache = {SOT: SOT, EOT: EOT}
        self.pat = regex.compile(PATTERN, regex.IGNORECASE)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.bpe_ranks.get(p, float("inf")))
            if best not in self.bpe_ranks:
                break
            first, second = best
            new, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
                    new.append(first + second)
                    i += 2
                else:
                    new.append(word[i])
                    i += 1
            word = tuple(new)
        out = " ".join(word)
        self.cache[token] = out
        return out

    def encode(self, text):
        text = html.unescape(html.unescape(text)).strip()
        text = regex.sub(r"\s+", " ", text).strip().lower()
        ids = []
        for tok in regex.findall(self.pat, text):
            tok = "".join(self.byte_encoder[b] for b in tok.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(tok).split(" "))
        return ids

    def tokenize(self, text, context_length=CONTEXT_LENGTH):
        """[SOT] + ids + [EOT], truncated so that EOT stays last (as open_clip and HF do)."""
        ids = self.encode(text)[: context_length - 2]
        return [SOT_ID] + ids + [EOT_ID]


def from_tokenizer_json(path):
    """A reference tokenizer that uses the vocabulary and merges stored in a tokenizer.json."""
    with open(path, encoding="utf-8") as f:
        model = json.load(f)["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    return ClipTokenizer(merges=merges, vocab=model["vocab"])


def tokenizer_json(tok):
    """The HuggingFace `tokenizers` definition of CLIP's tokenizer (as shipped with openai/clip-vit-*)."""
    special = [
        {"id": SOT_ID, "content": SOT, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True,
         "special": True},
        {"id": EOT_ID, "content": EOT, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True,
         "special": True},
    ]
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": CONTEXT_LENGTH, "strategy": "LongestFirst", "stride": 0},
        "padding": None,
        "added_tokens": special,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"},
        ]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": PATTERN}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
        ]},
        "post_processor": {"type": "RobertaProcessing", "sep": [EOT, EOT_ID], "cls": [SOT, SOT_ID],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": EOT, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": tok.encoder, "merges": [" ".join(m) for m in tok.merges]},
    }


def write_tokenizer_files(tok, out_dir):
    with open(f"{out_dir}/tokenizer.json", "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(tok), f, ensure_ascii=False, separators=(",", ":"))
    with open(f"{out_dir}/tokenizer_config.json", "w", encoding="utf-8") as f:
        json.dump({"tokenizer_class": "CLIPTokenizer", "model_max_length": CONTEXT_LENGTH, "bos_token": SOT,
                   "eos_token": EOT, "unk_token": EOT, "pad_token": EOT, "do_lower_case": True}, f, indent=2)
    with open(f"{out_dir}/special_tokens_map.json", "w", encoding="utf-8") as f:
        json.dump({"bos_token": SOT, "eos_token": EOT, "unk_token": EOT, "pad_token": EOT}, f, indent=2)


if __name__ == "__main__":
    import sys
    t = ClipTokenizer(sys.argv[1] if len(sys.argv) > 1 else "../shared/clip-bpe/bpe_simple_vocab_16e6.txt.gz")
    print(len(t.encoder), t.tokenize("a photo of a cat"))
