"""Test models in the HF/Xenova and Immich layouts, derived from the bundled model (same weights).

HF/optimum-style: onnx/ subfolder, an extra attention_mask input, HF config.json without a trained logit scale.
Immich-style: textual/ + visual/ subfolders, int32 token ids named "text" with fixed shape [1, 77], image input
"image" with fixed batch 1, outputs named "embedding", visual/preprocess_cfg.json.

usage: variants.py BUNDLED_DIR OUT_DIR"""
import json
import os
import shutil
import sys

import onnx
from onnx import TensorProto, helper


def rename_input(model, old, new):
    for i in model.graph.input:
        if i.name == old:
            i.name = new
    for n in model.graph.node:
        n.input[:] = [new if x == old else x for x in n.input]


def rename_output(model, old, new):
    for o in model.graph.output:
        if o.name == old:
            o.name = new
    for n in model.graph.node:
        n.output[:] = [new if x == old else x for x in n.output]


def fix_dims(value_info, dims):
    for d, v in zip(value_info.type.tensor_type.shape.dim, dims):
        if v is not None:
            d.ClearField("dim_param")
            d.dim_value = v


def hf(src, out):
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    text = onnx.load(os.path.join(src, "text_model.onnx"))
    text.graph.input.append(helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]))
    onnx.save(text, os.path.join(out, "onnx", "text_model.onnx"))
    shutil.copyfile(os.path.join(src, "vision_model.onnx"), os.path.join(out, "onnx", "vision_model.onnx"))
    for f in ["tokenizer.json", "preprocessor_config.json"]:
        shutil.copyfile(os.path.join(src, f), os.path.join(out, f))
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"_name_or_path": "test/hf-tiny-clip", "model_type": "clip", "projection_dim": 128,
                   "logit_scale_init_value": 2.6592, "text_config": {"max_position_embeddings": 77}}, f)


def immich(src, out):
    os.makedirs(os.path.join(out, "textual"), exist_ok=True)
    os.makedirs(os.path.join(out, "visual"), exist_ok=True)
    text = onnx.load(os.path.join(src, "text_model.onnx"))
    rename_input(text, "input_ids", "ids64")
    inp = helper.make_tensor_value_info("text", TensorProto.INT32, [1, 77])
    del text.graph.input[:]
    text.graph.input.append(inp)
    text.graph.node.insert(0, helper.make_node("Cast", ["text"], ["ids64"], to=TensorProto.INT64))
    rename_output(text, "text_embeds", "embedding")
    fix_dims(text.graph.output[0], [1, None])
    onnx.checker.check_model(text)
    onnx.save(text, os.path.join(out, "textual", "model.onnx"))

    vision = onnx.load(os.path.join(src, "vision_model.onnx"))
    rename_input(vision, "pixel_values", "image")
    fix_dims(vision.graph.input[0], [1, 3, 224, 224])
    rename_output(vision, "image_embeds", "embedding")
    fix_dims(vision.graph.output[0], [1, None])
    onnx.checker.check_model(vision)
    onnx.save(vision, os.path.join(out, "visual", "model.onnx"))

    shutil.copyfile(os.path.join(src, "tokenizer.json"), os.path.join(out, "textual", "tokenizer.json"))
    pre = json.load(open(os.path.join(src, "preprocessor_config.json")))
    with open(os.path.join(out, "visual", "preprocess_cfg.json"), "w") as f:
        json.dump({"size": [224, 224], "mode": "RGB", "mean": pre["image_mean"], "std": pre["image_std"],
                   "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0}, f)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"embed_dim": 128, "text_cfg": {"context_length": 77}}, f)


def main():
    src, out = sys.argv[1], sys.argv[2]
    hf(src, os.path.join(out, "hf"))
    immich(src, os.path.join(out, "immich"))
    print(f"wrote {out}/hf and {out}/immich")


if __name__ == "__main__":
    main()
