package org.stainbench.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.stainbench.evaluation.Evaluations;
import tools.jackson.databind.json.JsonMapper;

/** {@code /dashboard}: the supervisors' home page (GET only; everyone from SUPERVISOR up may read it). */
@Controller
class DashboardController {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Dashboard dashboard;
    private final Morning morning;

    DashboardController(Dashboard dashboard, Morning morning) {
        this.dashboard = dashboard;
        this.morning = morning;
    }

    @GetMapping("/dashboard")
    String dashboard(@RequestParam(required = false) String metric, java.security.Principal who, Model model) {
        Dashboard.View v = dashboard.view(metric);
        model.addAttribute("v", v);
        model.addAttribute("b", morning.board(v, who == null ? null : who.getName()));
        model.addAttribute("chart", JSON.writeValueAsString(chartData(v)));
        return "dashboard/index";
    }

    /** Mean as on the evaluation pages (4 decimals below 1, 2 from 1). */
    static String number(double x) {
        return Evaluations.number(x);
    }

    /**
     * The charts' data: per stain and protocol fingerprint the best-so-far steps and the runs' metric by epoch (each
     * value with its {@code seed_invariant} flag); the GPU-hours per day and node.
     */
    static Map<String, Object> chartData(Dashboard.View v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", Map.of("key", v.metric().key(), "label", v.metric().label()));
        List<Map<String, Object>> stains = new ArrayList<>();
        for (Standings.Standing s : v.standings()) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("target", s.target());
            st.put("fingerprint", s.fingerprint());
            Dashboard.ProtocolLabel protocol = v.protocol(s);
            st.put("protocol", protocol == null ? null : protocol.shortFingerprint() + ": " + protocol.summary());
            List<Map<String, Object>> steps = new ArrayList<>();
            for (Standings.Step p : s.overTime()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("x", p.at().toEpochMilli());
                m.put("y", p.value());
                m.put("seed_invariant", p.holder().seedInvariant());
                m.put("href", p.holder().evaluationHref());
                m.put(
                        "label",
                        (p.holder().checkpointName() == null
                                        ? p.holder().label()
                                        : p.holder().checkpointName()) + " in "
                                + p.holder().evaluationName());
                steps.add(m);
            }
            st.put("overTime", steps);
            List<Map<String, Object>> runs = new ArrayList<>();
            for (Dashboard.EpochRun r : v.epochRuns().getOrDefault(s.group(), List.of())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", r.label());
                m.put("href", r.evaluationHref());
                m.put("runHref", r.runHref());
                m.put("evaluations", r.evaluations());
                m.put(
                        "points",
                        r.points().stream()
                                .map(p -> Map.<String, Object>of(
                                        "x",
                                        p.epoch(),
                                        "y",
                                        p.mean(),
                                        "href",
                                        p.evaluationHref(),
                                        "seed_invariant",
                                        p.seedInvariant()))
                                .toList());
                runs.add(m);
            }
            st.put("epochs", runs);
            stains.add(st);
        }
        out.put("stains", stains);
        Map<String, Object> gpu = new LinkedHashMap<>();
        gpu.put("labels", v.gpu().days().stream().map(Object::toString).toList());
        List<Map<String, Object>> sets = new ArrayList<>();
        v.gpu().byHolder().forEach((holder, hours) -> {
            List<Double> rounded = new ArrayList<>();
            for (double h : hours) {
                rounded.add(h);
            }
            sets.add(Map.of("label", holder, "data", rounded, "href", "/nodes"));
        });
        gpu.put("datasets", sets);
        out.put("gpu", gpu);
        return out;
    }
}
