#!/usr/bin/python3
"""Fixtures for the feature-extraction tests (org.stainbench.evaluation.features / .preprocess).

Run with Debian's python3 (apt-get install -y python3-onnx python3-torch python3-pil):
    /usr/bin/python3 src/test/python/features_reference.py
Writes src/test/resources/features/ (committed, small):
  tiny.onnx       Conv(3->4, 3x3, pad 1) -> Relu -> GlobalAveragePool -> Flatten: N x 3 x 8 x 8 -> N x 4
  tiles.npy       5 uint8 RGB tiles, 8 x 8 x 3
  expected.json   features of the tiles under a declared preprocessing, computed with numpy alone;
                  resize references from torch (antialias bilinear), PIL (bicubic, mode F) and the
                  TF1 formula (torch-fidelity), each with its expression.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "features")


def tiny_model(path, w, b):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])
    y = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 4])
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("GlobalAveragePool", ["r"], ["p"]),
        helper.make_node("Flatten", ["p"], ["features"], axis=1),
    ]
    graph = helper.make_graph(nodes, "tiny", [x], [y],
                              [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="stainbench-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def conv_relu_gap(x, w, b):
    """numpy reference of the tiny model in float64: x N x 3 x 8 x 8."""
    n = x.shape[0]
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((n, 4, 8, 8))
    for o in range(4):
        acc = np.full((n, 8, 8), float(b[o]))
        for c in range(3):
            for dy in range(3):
                for dx in range(3):
                    acc += w[o, c, dy, dx] * xp[:, c, dy:dy + 8, dx:dx + 8]
        out[:, o] = acc
    return np.maximum(out, 0).mean(axis=(2, 3))


def tf1_bilinear(plane, oh, ow):
    """TF1 resize_bilinear(align_corners=False) as torch-fidelity: src = dst * in/out, clamp, no half-pixel."""
    h, w = plane.shape

    def axis(n_in, n_out):
        s = np.arange(n_out) * (n_in / n_out)
        i0 = np.floor(s).astype(int)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, s - i0

    y0, y1, fy = axis(h, oh)
    x0, x1, fx = axis(w, ow)
    top = plane[y0][:, x0] * (1 - fx) + plane[y0][:, x1] * fx
    bottom = plane[y1][:, x0] * (1 - fx) + plane[y1][:, x1] * fx
    return top * (1 - fy)[:, None] + bottom * fy[:, None]


def main():
    os.makedirs(OUT, exist_ok=True)
    g = np.random.default_rng(6)
    w = (g.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32)
    b = (g.standard_normal(4) * 0.1).astype(np.float32)
    tiny_model(os.path.join(OUT, "tiny.onnx"), w, b)
    tiles = g.integers(0, 256, size=(5, 8, 8, 3), dtype=np.uint8)
    np.save(os.path.join(OUT, "tiles.npy"), tiles)
    mean = np.array([0.1, -0.2, 0.05])
    std = np.array([0.5, 0.8, 1.2])
    x = (tiles.astype(np.float64) - 128) / 128
    x = (x - mean) / std
    x = x.transpose(0, 3, 1, 2)
    feats = conv_relu_gap(x.astype(np.float32).astype(np.float64), w.astype(np.float64), b.astype(np.float64))
    import hashlib
    with open(os.path.join(OUT, "tiny.onnx"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    expected = {
        "model_sha256": digest,
        "model": {"scale": 1 / 128, "offset": -1.0, "mean": mean.tolist(), "std": std.tolist(),
                  "features": feats.tolist(),
                  "expr": "x = ((tiles - 128) / 128 - mean) / std, NCHW float32; numpy conv3x3(pad 1) + b, relu, "
                          "mean over H, W (float64)"},
    }

    import torch
    import torch.nn.functional as F
    from PIL import Image

    plane = g.integers(0, 256, size=(13, 17)).astype(np.float64)
    resize = {"input": plane.tolist(), "cases": []}
    for oh, ow in [(5, 7), (29, 31), (13, 6)]:
        t = torch.from_numpy(plane)[None, None]
        aa = F.interpolate(t, size=(oh, ow), mode="bilinear", align_corners=False, antialias=True)[0, 0].numpy()
        pil = np.asarray(Image.fromarray(plane.astype(np.float32), mode="F").resize((ow, oh), Image.BICUBIC),
                         dtype=np.float64)
        resize["cases"].append({
            "height": oh, "width": ow,
            "BILINEAR_ANTIALIAS": aa.tolist(),
            "PIL_BICUBIC": pil.tolist(),
            "TF1_BILINEAR": tf1_bilinear(plane, oh, ow).tolist(),
        })
    resize["expr"] = ("torch.nn.functional.interpolate(float64, mode='bilinear', align_corners=False, "
                      "antialias=True); PIL Image.fromarray(float32, 'F').resize((w, h), BICUBIC); "
                      "TF1: src = dst * in/out (torch-fidelity interpolate_bilinear_2d_like_tensorflow1x)")
    resize["versions"] = {"torch": torch.__version__, "PIL": Image.__version__, "numpy": np.__version__,
                          "onnx": onnx.__version__}
    expected["resize"] = resize
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
