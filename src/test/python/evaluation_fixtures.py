#!/usr/bin/python3
"""Fixture for the evaluation tests (org.stainbench.evaluation): a tiny random-weight feature extractor.

Run with Debian's python3 (apt-get install -y python3-onnx):
    /usr/bin/python3 src/test/python/evaluation_fixtures.py
Writes src/test/resources/evaluation/random8.onnx (committed, small):
  Conv(3->8, 3x3, stride 2, pad 1) -> Relu -> GlobalAveragePool -> Flatten: N x 3 x H x W -> N x 8,
  with H and W dynamic, weights from numpy.random.default_rng(10).
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "evaluation")


def main():
    os.makedirs(OUT, exist_ok=True)
    g = np.random.default_rng(10)
    w = (g.standard_normal((8, 3, 3, 3)) * 0.5).astype(np.float32)
    b = (g.standard_normal(8) * 0.1).astype(np.float32)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])
    y = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 8])
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("GlobalAveragePool", ["r"], ["p"]),
        helper.make_node("Flatten", ["p"], ["features"], axis=1),
    ]
    graph = helper.make_graph(nodes, "random8", [x], [y],
                              [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="stainbench-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, "random8.onnx"))


if __name__ == "__main__":
    main()
