package org.stainbench.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stainbench.jobs.CommandText;
import org.stainbench.shell.FieldProblem;
import org.stainbench.shell.Names;

/**
 * The LoRA training form with the team's defaults (DESIGN.md "LoRA training"), its checks, and the
 * parameters a command template is rendered from.
 */
record LoraForm(
        String experiment,
        String runName,
        Long datasetId,
        String split,
        String baseModel,
        String flow,
        Integer rank,
        Double alpha,
        String targetModules,
        Double learningRate,
        Integer batchSize,
        Integer epochs,
        Integer gradientAccumulation,
        Double uncondDropout,
        Double gradientClip,
        Integer maxTilesPerArchive,
        String mixedPrecision,
        Boolean tf32,
        Long seed,
        String checkpointPattern,
        String commandTemplate,
        Integer gpus,
        Integer cpus,
        Integer memoryGb,
        Integer hours,
        String executor) {

    static final String TARGET_MODULES =
            "attn2.to_q,attn2.to_k,attn2.to_v,attn2.to_out.0,attn2.add_q_proj,attn2.add_k_proj,attn2.add_v_proj,attn2.to_add_out";

    static final String DEFAULT_TEMPLATE =
            """
            accelerate launch --mixed_precision {mixed_precision} train_lora.py \\
              --base_model {base_model} --flow {flow} --dataset {dataset} --split {split} \\
              --rank {rank} --alpha {alpha} --target_modules {target_modules} \\
              --optimizer adamw --lr {lr} --lr_scheduler constant --batch_size {batch_size} --epochs {epochs} \\
              --gradient_accumulation_steps {grad_accum} --uncond_dropout {uncond_dropout} \\
              --max_grad_norm {grad_clip} --max_tiles_per_archive {max_tiles} --allow_tf32 {tf32} \\
              --seed {seed} --output_dir . --checkpoint_pattern {checkpoint_pattern}""";

    static final List<String> FLOWS = List.of("mist_pr", "mist_er", "none");
    static final List<String> PRECISIONS = List.of("bf16", "fp16", "no");

    static LoraForm defaults() {
        return new LoraForm(
                "lora",
                "",
                null,
                "train",
                "PixCell-1024",
                "mist_pr",
                4,
                4.0,
                TARGET_MODULES,
                1e-4,
                4,
                20,
                1,
                0.1,
                1.0,
                300,
                "bf16",
                true,
                0L,
                "{dataset}_{stain}_lora_{epoch}.pth",
                DEFAULT_TEMPLATE,
                1,
                16,
                48,
                48,
                "agent");
    }

    /** The same form with another split side. */
    LoraForm withSplit(String side) {
        return new LoraForm(
                experiment,
                runName,
                datasetId,
                side,
                baseModel,
                flow,
                rank,
                alpha,
                targetModules,
                learningRate,
                batchSize,
                epochs,
                gradientAccumulation,
                uncondDropout,
                gradientClip,
                maxTilesPerArchive,
                mixedPrecision,
                tf32,
                seed,
                checkpointPattern,
                commandTemplate,
                gpus,
                cpus,
                memoryGb,
                hours,
                executor);
    }

    /** Every problem with the form, as messages for the person; empty when it can be launched. */
    List<String> problems() {
        return FieldProblem.messages(checks());
    }

    /** Every problem with the form, each tied to its field (the input's name); empty when it can be launched. */
    List<FieldProblem> checks() {
        List<FieldProblem> p = new ArrayList<>();
        if (blank(experiment)) {
            p.add(new FieldProblem("experiment", "Give the experiment a name."));
        }
        for (String[] n :
                new String[][] {{"experiment", "The experiment name", experiment}, {"runName", "The run name", runName}
                }) {
            try {
                Names.check(n[1], n[2]);
            } catch (IllegalArgumentException e) {
                p.add(new FieldProblem(n[0], e.getMessage()));
            }
        }
        if (datasetId == null) {
            p.add(new FieldProblem("datasetId", "Choose the training dataset."));
        }
        tooLong(p, "experiment", "The experiment name", experiment, TrackingStore.MAX_EXPERIMENT_NAME);
        tooLong(p, "runName", "The run name", runName, TrackingStore.MAX_RUN_NAME);
        tooLong(p, "baseModel", "The base model", baseModel, TrackingStore.MAX_PARAM_VALUE);
        tooLong(p, "targetModules", "The target modules", targetModules, TrackingStore.MAX_PARAM_VALUE);
        tooLong(
                p,
                "checkpointPattern",
                "The checkpoint file pattern",
                checkpointPattern,
                TrackingStore.MAX_PARAM_VALUE);
        if (!List.of("train", "test", "all").contains(split == null ? "" : split)) {
            p.add(new FieldProblem("split", "Split side must be train, test or all."));
        }
        if (blank(baseModel)) {
            p.add(new FieldProblem("baseModel", "Name the base model."));
        }
        if (!FLOWS.contains(flow == null ? "" : flow)) {
            p.add(new FieldProblem("flow", "Flow must be one of " + FLOWS + "."));
        }
        range(p, "rank", "LoRA rank", rank, 1, 1024);
        positive(p, "alpha", "LoRA alpha", alpha);
        if (blank(targetModules)) {
            p.add(new FieldProblem("targetModules", "Name at least one target module."));
        }
        positive(p, "learningRate", "Learning rate", learningRate);
        range(p, "batchSize", "Batch size", batchSize, 1, 4096);
        range(p, "epochs", "Epochs", epochs, 1, 1000);
        range(p, "gradientAccumulation", "Gradient accumulation", gradientAccumulation, 1, 1024);
        if (uncondDropout == null || uncondDropout < 0 || uncondDropout >= 1) {
            p.add(new FieldProblem("uncondDropout", "Unconditional dropout must be at least 0 and below 1."));
        }
        positive(p, "gradientClip", "Gradient clip", gradientClip);
        range(p, "maxTilesPerArchive", "Tiles per archive", maxTilesPerArchive, 1, 1_000_000);
        if (!PRECISIONS.contains(mixedPrecision == null ? "" : mixedPrecision)) {
            p.add(new FieldProblem("mixedPrecision", "Mixed precision must be one of " + PRECISIONS + "."));
        }
        if (seed == null || seed < 0) {
            p.add(new FieldProblem("seed", "Seed must be a whole number ≥ 0."));
        }
        if (blank(checkpointPattern) || !checkpointPattern.contains("{epoch}")) {
            p.add(new FieldProblem("checkpointPattern", "The checkpoint file pattern must contain {epoch}."));
        }
        range(p, "gpus", "GPUs", gpus, 0, 16);
        range(p, "cpus", "CPUs", cpus, 1, 512);
        range(p, "memoryGb", "Memory (GB)", memoryGb, 1, 4096);
        range(p, "hours", "Time limit (h)", hours, 1, 24 * 14);
        if (!List.of("agent", "slurm").contains(executor == null ? "" : executor)) {
            p.add(new FieldProblem("executor", "Run on a node agent or through Slurm."));
        }
        if (blank(commandTemplate)) {
            p.add(new FieldProblem("commandTemplate", "The command template is empty."));
        } else {
            Set<String> known = parameters("x", "x").keySet();
            for (String name : CommandText.parameters(commandTemplate)) {
                if (!known.contains(name)) {
                    p.add(new FieldProblem(
                            "commandTemplate",
                            "The command template uses {" + name + "}, which is not a parameter of this form (known: "
                                    + String.join(", ", known) + ")."));
                }
            }
        }
        return p;
    }

    /** Values for the command template; dataset and stain come from the chosen dataset. */
    Map<String, String> parameters(String datasetName, String stain) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dataset", datasetName);
        m.put("stain", stain);
        m.put("split", split);
        m.put("base_model", baseModel);
        m.put("flow", flow);
        m.put("rank", String.valueOf(rank));
        m.put("alpha", number(alpha));
        m.put("target_modules", targetModules);
        m.put("lr", number(learningRate));
        m.put("batch_size", String.valueOf(batchSize));
        m.put("epochs", String.valueOf(epochs));
        m.put("grad_accum", String.valueOf(gradientAccumulation));
        m.put("uncond_dropout", number(uncondDropout));
        m.put("grad_clip", number(gradientClip));
        m.put("max_tiles", String.valueOf(maxTilesPerArchive));
        m.put("mixed_precision", mixedPrecision);
        m.put("tf32", String.valueOf(Boolean.TRUE.equals(tf32)));
        m.put("seed", String.valueOf(seed));
        m.put("checkpoint_pattern", checkpointPattern);
        return m;
    }

    /** The checkpoint file of each epoch, from the pattern. */
    List<String> checkpointFiles(String datasetName, String stain) {
        List<String> files = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            files.add(checkpointPattern
                    .replace("{dataset}", datasetName)
                    .replace("{stain}", stain)
                    .replace("{epoch}", String.valueOf(e)));
        }
        return files;
    }

    private static String number(Double d) {
        if (d == null) {
            return "";
        }
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A problem naming the field and its limit when the (trimmed) text is longer than {@code max} characters. */
    static void tooLong(List<String> p, String what, String text, int max) {
        if (text != null && text.trim().length() > max) {
            p.add(tooLongText(what, text, max));
        }
    }

    private static void tooLong(List<FieldProblem> p, String field, String what, String text, int max) {
        if (text != null && text.trim().length() > max) {
            p.add(new FieldProblem(field, tooLongText(what, text, max)));
        }
    }

    private static String tooLongText(String what, String text, int max) {
        return what + " is " + text.trim().length() + " characters long; the limit is " + max + " characters.";
    }

    private static void range(List<FieldProblem> p, String field, String what, Integer v, int min, int max) {
        if (v == null || v < min || v > max) {
            p.add(new FieldProblem(field, what + " must be a whole number from " + min + " to " + max + "."));
        }
    }

    private static void positive(List<FieldProblem> p, String field, String what, Double v) {
        if (v == null || !(v > 0) || !Double.isFinite(v)) {
            p.add(new FieldProblem(field, what + " must be a positive number."));
        }
    }
}
