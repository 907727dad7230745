#!/usr/bin/python3
"""Benchmark (b) helper, Debian's python3 with python3-torch + python3-torchvision:

  export OUT.onnx            torchvision inception_v3 with random weights (seed 0), fc removed: N x 3 x 299 x 299
                             -> N x 2048 pool features, dynamic batch axis (for timing only: NOT the FID weights)
  tiles OUT.npy N            N random uint8 RGB tiles, 299 x 299 x 3
  torch MODEL.onnx TILES BATCH...   reference: the same network in PyTorch (same random weights, rebuilt from seed
                             0) on the same preprocessed input, tiles/s per batch size, as JSON
"""
import json
import sys
import time

import numpy as np


def network():
    import torch
    import torchvision
    torch.manual_seed(0)
    net = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=True, transform_input=False)
    net.fc = torch.nn.Identity()
    return net.eval()


def export(path):
    import torch
    net = network()
    torch.onnx.export(net, torch.zeros(1, 3, 299, 299), path, input_names=["x"], output_names=["features"],
                      dynamic_axes={"x": {0: "N"}, "features": {0: "N"}}, opset_version=13)


def tiles(path, n):
    g = np.random.default_rng(1)
    np.save(path, g.integers(0, 256, size=(n, 299, 299, 3), dtype=np.uint8))


def torch_reference(tiles_path, batches):
    import torch
    torch.set_num_threads(2)
    net = network()
    t = np.load(tiles_path)
    x = torch.from_numpy(((t.astype(np.float32) - 128) / 128).transpose(0, 3, 1, 2).copy())
    runs = []
    with torch.no_grad():
        for b in batches:
            net(x[:b])
            t0 = time.perf_counter()
            for i in range(0, len(x), b):
                net(x[i:i + b])
            s = time.perf_counter() - t0
            runs.append({"batch": b, "seconds": s, "tiles_per_second": len(x) / s})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "runs": runs}))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2])
    elif sys.argv[1] == "tiles":
        tiles(sys.argv[2], int(sys.argv[3]))
    else:
        torch_reference(sys.argv[3], [int(b) for b in sys.argv[4:]])
