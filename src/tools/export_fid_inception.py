#!/usr/bin/env python3
"""Export the STANDARD FID Inception-v3 (the 2015-12-05 TensorFlow weights as ported by pytorch-fid and
torch-fidelity, file pt_inception-2015-12-05-6726825d.pth) to ONNX, for Stainbench's feature extractor.

Run once on a machine with internet and PyTorch (Stainbench's machines cannot download the weights):

    python3 -m pip install torch pytorch-fid onnx
    python3 src/tools/export_fid_inception.py fid_inception.onnx

Then register fid_inception.onnx in Stainbench with the preprocessing
"299 x 299, TF1-compatible bilinear resize, values (v - 128) / 128" (StandardExtractors.fidInceptionPreprocessing),
and put the sha256 this script prints into StandardExtractors.FID_INCEPTION_SHA256 so the UI labels the file
"standard FID Inception". The hash identifies this exported file (it depends on the torch version that wrote it);
the script also prints the features of a fixed input so that two exports can be compared numerically.

The exported graph: input "x" N x 3 x 299 x 299 float32 already scaled to [-1, 1]; output "features" N x 2048
(the pool3 features FID uses). pytorch-fid's own resize and input normalisation are switched off here because
Stainbench applies the declared preprocessing itself.
"""
import hashlib
import sys

import torch
from pytorch_fid.inception import InceptionV3


class PoolFeatures(torch.nn.Module):
    def __init__(self):
        super().__init__()
        block = InceptionV3.BLOCK_INDEX_BY_DIM[2048]
        self.net = InceptionV3([block], resize_input=False, normalize_input=False)

    def forward(self, x):
        return self.net(x)[0].flatten(1)


def main(out):
    model = PoolFeatures().eval()
    torch.onnx.export(model, torch.zeros(1, 3, 299, 299), out, input_names=["x"], output_names=["features"],
                      dynamic_axes={"x": {0: "N"}, "features": {0: "N"}}, opset_version=17)
    with open(out, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    g = torch.Generator().manual_seed(0)
    probe = torch.rand(2, 3, 299, 299, generator=g) * 2 - 1
    with torch.no_grad():
        feats = model(probe)
    print("wrote", out)
    print("torch", torch.__version__)
    print("sha256", digest)
    print("probe features[0, :5]", feats[0, :5].tolist())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fid_inception.onnx")
