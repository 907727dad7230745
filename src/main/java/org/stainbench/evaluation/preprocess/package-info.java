/**
 * Pure input preprocessing for feature extractors: resize filters matching torch / torch-fidelity / PIL and the
 * value scaling of each model. No Spring, JPA or I/O.
 */
package org.stainbench.evaluation.preprocess;
