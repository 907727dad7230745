"""Prints np.load(path).sum() with full precision: proves numpy accepts a file Java wrote."""
import sys

import numpy as np

print(repr(float(np.load(sys.argv[1]).sum())))
