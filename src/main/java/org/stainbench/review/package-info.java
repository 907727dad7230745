/** Blinded pathologist review sessions (issue 8). For now: the pathologist's landing page. */
package org.stainbench.review;
