package org.stainbench.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one source of the words pages explain (issue 18): every metric and term with a one-line hint (the hover help of
 * {@code <abbr class="term" title="…">} on the pages, as {@code ${@glossary.hint('fid')}}) and its definition (the
 * page {@code /help/metrics}, where each term has the anchor {@code #<key>}). The metric keys are
 * {@code evaluation.Metric.key()}. The definitions follow {@code src/docs/metrics.md} and {@code evaluation.md}.
 */
@Component("glossary")
public class Glossary {

    /** A term: its key (anchor), the words pages show, a one-line hint, the definition, and its section. */
    public record Term(String key, String name, String hint, String definition, String section) {

        public String href() {
            return "/help/metrics#" + key;
        }
    }

    static final String METRICS = "Evaluation metrics";
    static final String UNCERTAINTY = "Uncertainty and protocol";
    static final String TRAINING = "Training";
    static final String TILES = "Tiles and galleries";

    private static final List<Term> TERMS = List.of(
            new Term(
                    "fid",
                    "FID",
                    "Fréchet Inception Distance between real and generated tiles' features; lower is better.",
                    "Fréchet distance between Gaussians fitted to the extractor's features of the real and the generated "
                            + "tiles: ‖μ₁−μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr √(Σ₁Σ₂) (pytorch-fid's formula, covariance with n − 1). "
                            + "Lower is better; 0 means identical feature statistics. Computed on whole tiles.",
                    METRICS),
            new Term(
                    "kid_mean",
                    "KID",
                    "Kernel Inception Distance (unbiased MMD², cubic kernel) averaged over subsets; lower is better.",
                    "Unbiased squared maximum mean discrepancy with the kernel k(x, y) = (x·y/d + 1)³ between real and "
                            + "generated features, averaged over KID subsets (subset count × subset size, drawn with the "
                            + "evaluation seed). Unlike FID it has no bias from the number of tiles. Lower is better.",
                    METRICS),
            new Term(
                    "kid_std",
                    "KID std (subsets)",
                    "Spread of KID over its subsets: how noisy the KID value is; never ranked.",
                    "The population standard deviation of KID over its subsets (as torchmetrics reports it). It says how "
                            + "noisy one KID value is, not how good a model is, so it is shown but never ranked or marked best.",
                    METRICS),
            new Term(
                    "crop_fid",
                    "CropFID",
                    "FID on random crops of the tiles: sensitive to fine texture; lower is better.",
                    "FID computed on crops instead of whole tiles: per seed, every tile gives the protocol's number of "
                            + "crops of the protocol's size at positions drawn with that seed. It weighs fine texture "
                            + "(nuclei, membranes) more than whole-tile FID. Lower is better.",
                    METRICS),
            new Term(
                    "w1_dab_fraction",
                    "W1 DAB+ fraction",
                    "Wasserstein-1 distance between real and generated tiles' DAB-positive fractions; lower is better.",
                    "Per tile, the DAB-positive fraction is the share of tissue pixels whose DAB density (H-DAB colour "
                            + "deconvolution) is at least 0.15 — how much of the tissue is stained brown. W1 is the "
                            + "Wasserstein-1 (earth mover's) distance between the real and the generated distribution of "
                            + "that fraction: the average amount of staining that must move to turn one into the other. "
                            + "Lower is better.",
                    METRICS),
            new Term(
                    "ks_dab_fraction",
                    "KS DAB+ fraction",
                    "Kolmogorov–Smirnov statistic between real and generated DAB-positive fractions (0–1); lower is better.",
                    "The two-sample Kolmogorov–Smirnov statistic between the real and the generated distribution of the "
                            + "per-tile DAB-positive fraction: the largest gap between their cumulative distributions, "
                            + "from 0 (same) to 1 (disjoint). Lower is better.",
                    METRICS),
            new Term(
                    "w1_mean_dab",
                    "W1 mean DAB",
                    "Wasserstein-1 distance between real and generated tiles' mean DAB density; lower is better.",
                    "Per tile, the mean DAB density over tissue pixels (H-DAB colour deconvolution) — how intense the "
                            + "brown stain is. W1 is the Wasserstein-1 distance between the real and the generated "
                            + "distribution of that mean. Lower is better.",
                    METRICS),
            new Term(
                    "ks_mean_dab",
                    "KS mean DAB",
                    "Kolmogorov–Smirnov statistic between real and generated mean DAB density (0–1); lower is better.",
                    "The two-sample Kolmogorov–Smirnov statistic between the real and the generated distribution of the "
                            + "per-tile mean DAB density: the largest gap between their cumulative distributions, from 0 "
                            + "to 1. Lower is better.",
                    METRICS),
            new Term(
                    "mean-std",
                    "mean ± std, n",
                    "Mean over evaluation seeds ± sample standard deviation (n − 1); n seeds.",
                    "Every metric is computed once per evaluation seed. A cell shows the mean over the seeds, ± the "
                            + "sample standard deviation (n − 1), and n, the number of seeds; the best (lowest) mean of a "
                            + "ranked column is marked, every tied row too.",
                    UNCERTAINTY),
            new Term(
                    "seed-invariant",
                    "seed-invariant",
                    "The same value for every seed: one measurement, shown without a spread.",
                    "A value that came out identical for every evaluation seed (e.g. FID when every seed uses the same "
                            + "tiles): it is one measurement repeated, so no spread is shown for it.",
                    UNCERTAINTY),
            new Term(
                    "bootstrap-interval",
                    "[low, high]",
                    "95 % patient-bootstrap interval: patients resampled with all their tiles.",
                    "A 95 % percentile interval from B patient-bootstrap resamples (the protocol's bootstrap resamples): "
                            + "patients are drawn with replacement and bring all their tiles, on the first seed's tiles.",
                    UNCERTAINTY),
            new Term(
                    "within-noise",
                    "≈ best (within noise)",
                    "Its paired difference to the best row has a bootstrap interval containing 0.",
                    "Two sets of one evaluation are compared on the same seeds and the same bootstrap resamples; when the "
                            + "interval of their difference contains 0, the row is not distinguishable from the best one.",
                    UNCERTAINTY),
            new Term(
                    "fingerprint",
                    "Protocol fingerprint",
                    "A hash of everything that decides the numbers; only equal fingerprints are ranked together.",
                    "The SHA-256 of the evaluation's canonical protocol text (tiles, crops, KID subsets, seeds, extractor "
                            + "and preprocessing, the real tiles' list). Two evaluations are comparable only when their "
                            + "fingerprints are equal.",
                    UNCERTAINTY),
            new Term(
                    "tile-selection",
                    "Tile selection",
                    "Which tiles are compared: random per seed (stratified by patient) or the first tiles of spread archives.",
                    "Random patient-stratified tiles per seed (the form's default): each seed draws the tiles per side "
                            + "from every ingested tile, proportionally per patient, so every metric varies with the seed. "
                            + "First tiles (the lab's preset): of each side's archives, evenly spread ones give their first "
                            + "tiles — the same tiles for every seed.",
                    UNCERTAINTY),
            new Term(
                    "generation-seed",
                    "Generation seed",
                    "The sampling seed a generated set was made with; replicates differ only in it.",
                    "The seed a checkpoint sampled with when it generated a set. Sets of one checkpoint on one source "
                            + "with different generation seeds are replicates: their spread shows how much the numbers "
                            + "depend on sampling.",
                    UNCERTAINTY),
            new Term(
                    "split-side",
                    "Split side",
                    "Which side of the dataset's patient-level train/test split to train on; “all” needs no split.",
                    "A dataset can be split by patient into train and test (on its page). Training on “train” keeps the "
                            + "test patients unseen for evaluation; “test” is rarely wanted; “all” uses every tile and is "
                            + "the only choice for a dataset that has not been split.",
                    TRAINING),
            new Term(
                    "embedding-flow",
                    "Embedding flow",
                    "mist_pr / mist_er: the embedding flow trained on MIST's PR / ER pairs; none: no flow.",
                    "The flow that carries the H&E tile's embedding towards the target stain before it conditions the "
                            + "base model: mist_pr and mist_er are the flows trained on the MIST data set's H&E–PR and "
                            + "H&E–ER pairs; none conditions on the H&E embedding as it is. Recorded with the run and its "
                            + "checkpoints.",
                    TRAINING),
            new Term(
                    "best-worst",
                    "Best / worst",
                    "Tiles ranked by badness = −z(saturation std) + z(autocorrelation 16) + ½|z(Laplacian variance)|.",
                    "The best/worst gallery scores the scanned generated tiles of the ranked checkpoint by the lab's "
                            + "badness: −z(HSV saturation std) + z(autocorrelation at shift 16) + 0.5·|z(Laplacian "
                            + "variance)|, z-scores over the scanned tiles. Flat, washed-out or blurred tiles score high "
                            + "(worst); best are the k lowest.",
                    TILES),
            new Term(
                    "tile-caption",
                    "#0 ✓",
                    "Tile number in its archive; ✓ = informative (passes the lab's filter).",
                    "A tile's caption is its row number in its archive (#0 is the first) followed by ✓ when the tile is "
                            + "informative: Laplacian variance ≥ 100, saturated fraction ≥ 0.10 and near-white fraction "
                            + "≤ 0.60 (the lab's filter, thresholds on the dataset page).",
                    TILES),
            new Term(
                    "label",
                    "Label",
                    "The tile's label stored in its archive (e.g. a slide label code); — when there is none.",
                    "The numeric label each row of the archive carries next to its tile (for tiles cut from a slide: the "
                            + "slide's label code, 0–7 for ccRCC, pRCC, chromophobe, oncocytoma, normal, necrosis, fiber, "
                            + "default). It is recorded, not interpreted.",
                    TILES),
            new Term(
                    "informative",
                    "Informative",
                    "Passes the lab's filter: sharp enough, stained enough, not mostly background.",
                    "A tile is informative when its Laplacian variance is at least 100, its saturated fraction (S > 30) at "
                            + "least 0.10 and its near-white fraction at most 0.60.",
                    TILES));

    private final Map<String, Term> byKey = new LinkedHashMap<>();

    public Glossary() {
        TERMS.forEach(t -> byKey.put(t.key(), t));
    }

    /** Every term, in the order of the help page. */
    public List<Term> terms() {
        return TERMS;
    }

    public Optional<Term> term(String key) {
        return Optional.ofNullable(key == null ? null : byKey.get(key));
    }

    /** The hover text of a term (null for an unknown key, so {@code th:title} leaves the attribute out). */
    public String hint(String key) {
        return term(key).map(t -> t.hint() + " (Help › Metrics and terms)").orElse(null);
    }

    /** The terms grouped by section, in order. */
    public Map<String, List<Term>> sections() {
        Map<String, List<Term>> out = new LinkedHashMap<>();
        for (Term t : TERMS) {
            out.computeIfAbsent(t.section(), k -> new java.util.ArrayList<>()).add(t);
        }
        return out;
    }
}
