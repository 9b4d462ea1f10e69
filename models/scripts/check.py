"""Fast check of the bundled model folder (part of ./sightline test): files, ONNX signatures, size, tokenizer.

usage: check.py [model_dir] [fixture_json]"""
import json
import os
import sys

import onnx

from clip_tokenizer import EOT_ID, SOT_ID, from_tokenizer_json

EXPECTED_IDS = {
    "a photo of a cat": [49406, 320, 1125, 539, 320, 2368, 49407],
    "a photo of a red circle.": [49406, 320, 1125, 539, 320, 736, 7117, 269, 49407],
}
failures = []


def expect(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        failures.append(msg)


def dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def check_onnx(path, in_name, in_type, in_dims, out_name, dim):
    model = onnx.load(path)
    onnx.checker.check_model(model)
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    expect(14 <= opset <= 17, f"{os.path.basename(path)}: opset {opset} in 14..17")
    (inp,), (out,) = model.graph.input, model.graph.output
    expect(inp.name == in_name and inp.type.tensor_type.elem_type == in_type,
           f"{os.path.basename(path)}: input {inp.name} of type {inp.type.tensor_type.elem_type}")
    d = dims(inp)
    # None marks an axis that must be dynamic (a named dimension), a number one that must be fixed.
    ok = len(d) == len(in_dims) and all(isinstance(a, str) if e is None else a == e for a, e in zip(d, in_dims))
    expect(ok, f"{os.path.basename(path)}: input dims {d}")
    od = dims(out)
    expect(out.name == out_name and isinstance(od[0], str) and od[1] == dim,
           f"{os.path.basename(path)}: output {out.name} dims {od}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "tiny-clip")
    fixture = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "fixtures", "parity", "parity.json")
    for name in ["text_model.onnx", "vision_model.onnx", "tokenizer.json", "preprocessor_config.json",
                 "config.json", "LICENSE-clip-bpe"]:
        expect(os.path.isfile(os.path.join(model_dir, name)), f"file {name} present")
    if failures:
        sys.exit(1)
    total = sum(os.path.getsize(os.path.join(model_dir, n)) for n in os.listdir(model_dir))
    expect(total <= 8 * 1024 * 1024, f"model folder {total / 1e6:.2f} MB <= 8 MiB")
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    dim = cfg["projection_dim"]
    expect(cfg["context_length"] == 77 and cfg["logit_scale"] > 1, f"config.json: dim {dim}, logit scale "
           f"{cfg['logit_scale']}, context {cfg['context_length']}")
    pre = json.load(open(os.path.join(model_dir, "preprocessor_config.json")))
    expect(pre["size"] == {"shortest_edge": 224} and pre["crop_size"] == {"height": 224, "width": 224}
           and pre["resample"] == 3, "preprocessor_config.json: shortest_edge 224, crop 224, bicubic")
    check_onnx(os.path.join(model_dir, "text_model.onnx"), "input_ids", onnx.TensorProto.INT64, [None, None],
               "text_embeds", dim)
    check_onnx(os.path.join(model_dir, "vision_model.onnx"), "pixel_values", onnx.TensorProto.FLOAT,
               [None, 3, 224, 224], "image_embeds", dim)

    tok = from_tokenizer_json(os.path.join(model_dir, "tokenizer.json"))
    expect(len(tok.encoder) == 49408 and tok.encoder["<|startoftext|>"] == SOT_ID
           and tok.encoder["<|endoftext|>"] == EOT_ID, "tokenizer.json: 49408 ids, specials 49406/49407")
    for text, ids in EXPECTED_IDS.items():
        got = tok.tokenize(text)
        expect(got == ids, f"tokenizer: {text!r} -> {got}")
    if os.path.isfile(fixture):
        for t in json.load(open(fixture, encoding="utf-8"))["texts"]:
            expect(tok.tokenize(t["text"]) == t["ids"], f"fixture ids for {t['text'][:30]!r}")
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("model check passed")


if __name__ == "__main__":
    main()
