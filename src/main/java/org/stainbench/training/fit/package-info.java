/**
 * A small, real trainable H&amp;E → IHC method that runs on the CPU, so the training loop is whole
 * without a GPU: a linear map in optical-density space fitted by Adam on the sliced Wasserstein
 * distance between generated and real IHC pixel colours. Pure code: arrays in, records out.
 */
package org.stainbench.training.fit;
