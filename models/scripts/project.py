"""Writes a second genuine model from the bundled one: the same towers followed by a fixed random orthogonal
projection to fewer dimensions (default 96), exported as its own folder with its own model id.

usage: project.py --src models/tiny-clip --out .sightline/models/tiny-clip-p96 [--dim 96] [--seed 96]

Both encoders end in the same matrix Q (128 x dim, orthonormal columns of a seeded Gaussian's QR), so the
projected text and image embeddings still share one space: cosine similarities are those of the originals
restricted to a random dim-dimensional subspace. Used by the tests and the demo as a second model to serve and to
migrate collections to (issue 15). Not committed: the launcher runs this when the folder is missing or stale.
"""
import argparse
import json
import os
import shutil

import numpy as np
import onnx
from onnx import helper, numpy_helper

COPIED = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json",
          "LICENSE-clip-bpe"]
GRAPHS = {"text_model.onnx": "text_embeds", "vision_model.onnx": "image_embeds"}


def projection(width, dim, seed):
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.standard_normal((width, width)))
    q = q * np.sign(np.diag(r))  # a unique Q for the seed
    return q[:, :dim].astype(np.float32)


def project_graph(path, output, matrix, out_path):
    model = onnx.load(path)
    graph = model.graph
    (out,) = [o for o in graph.output if o.name == output]
    base = output + "_unprojected"
    for node in graph.node:
        node.output[:] = [base if name == output else name for name in node.output]
    graph.initializer.append(numpy_helper.from_array(matrix, name="sightline_projection"))
    graph.node.append(helper.make_node("MatMul", [base, "sightline_projection"], [output], name="sightline_project"))
    out.type.tensor_type.shape.dim[1].dim_value = matrix.shape[1]
    onnx.checker.check_model(model)
    onnx.save(model, out_path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--src", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--dim", type=int, default=96)
    p.add_argument("--seed", type=int, default=96)
    args = p.parse_args()
    with open(os.path.join(args.src, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    width = config["projection_dim"]
    if not 1 <= args.dim < width:
        p.error(f"--dim must be from 1 to {width - 1}")
    matrix = projection(width, args.dim, args.seed)
    os.makedirs(args.out, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(os.path.join(args.src, name), os.path.join(args.out, name))
    for name, output in GRAPHS.items():
        project_graph(os.path.join(args.src, name), output, matrix, os.path.join(args.out, name))
    derived = dict(config)
    derived["model_id"] = f"{config['model_id']}-p{args.dim}"
    derived["projection_dim"] = args.dim
    derived["derived_from"] = {"model_id": config["model_id"], "version": config.get("version"),
                               "projection": f"fixed random orthogonal {width} x {args.dim}, numpy seed {args.seed}"}
    with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(derived, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}: {derived['model_id']}, {args.dim} dimensions")


if __name__ == "__main__":
    main()
