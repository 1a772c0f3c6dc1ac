package io.upcycle.monitor.audit;

import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.tracking.EndOfRun;
import io.upcycle.schemas.avro.StopDecision;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which monitor configuration replays which runs. A recorded decision names the policy, its version
 * and every parameter, and its mode, so each run is replayed under the configuration that decided it;
 * runs are grouped by it. A run with no recorded decision joins the largest group (the monitor's
 * configuration of the day, as far as the log tells). The evidence sizes (signal window, hard
 * examples) are read off the decisions too.
 */
final class ReplayPlan {
    static final String END_OF_RUN = EndOfRun.POLICY;

    private ReplayPlan() {
    }

    /** Configuration values to the runs they replay, in a stable order. */
    static Map<Map<String, String>, Set<String>> groups(Collection<String> runs, Map<String, List<StopDecision>> recorded) {
        Map<Map<String, String>, Set<String>> groups = new LinkedHashMap<>();
        for (boolean endOfRun : new boolean[] {false, true}) {
            for (String run : new TreeSet<>(runs)) {
                List<StopDecision> decisions = recorded.getOrDefault(run, List.of());
                if (!decisions.isEmpty() && decisions.get(0).getPolicy().equals(END_OF_RUN) == endOfRun) {
                    Map<String, String> config = policyConfig(decisions.get(0));
                    // an end-of-run decision does not tell the mode: join a group of the same policy that does
                    Map<String, String> key = !endOfRun ? config : groups.keySet().stream()
                            .filter(k -> withoutMode(k).equals(config)).findFirst().orElse(config);
                    groups.computeIfAbsent(key, k -> new TreeSet<>()).add(run);
                }
            }
        }
        Map<String, String> largest = groups.entrySet().stream().max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size()))
                .map(Map.Entry::getKey).orElse(Map.of());
        for (String run : runs) {
            if (recorded.getOrDefault(run, List.of()).isEmpty()) {
                groups.computeIfAbsent(largest, k -> new TreeSet<>()).add(run);
            }
        }
        Map<Map<String, String>, Set<String>> withSizes = new LinkedHashMap<>();
        groups.forEach((config, members) -> withSizes.put(withEvidenceSizes(config, members, recorded), members));
        return withSizes;
    }

    /** {@code base} with the counterfactual's {@code policy.*} values; a different policy name drops the base's parameters. */
    static Map<String, String> counterfactual(Map<String, String> base, Map<String, String> policy) {
        Map<String, String> config = new TreeMap<>(base);
        String name = policy.get(MonitorConfigKeys.POLICY_NAME);
        if (name != null && !name.equals(base.get(MonitorConfigKeys.POLICY_NAME))) {
            config.keySet().removeIf(k -> k.startsWith(MonitorConfigKeys.POLICY_PREFIX));
        }
        config.putAll(policy);
        return config;
    }

    private static Map<String, String> withoutMode(Map<String, String> config) {
        Map<String, String> copy = new TreeMap<>(config);
        copy.remove(MonitorConfigKeys.DECISION_MODE);
        return copy;
    }

    static Map<String, String> policyConfig(StopDecision d) {
        Map<String, String> config = new TreeMap<>();
        String prefix = MonitorConfigKeys.POLICY_PREFIX;
        if (d.getPolicy().equals(END_OF_RUN)) {
            String watched = EndOfRun.policyOf(d);
            if (watched != null) {
                config.put(MonitorConfigKeys.POLICY_NAME, watched);
            }
            d.getParameters().forEach((k, v) -> {
                if (k.startsWith(EndOfRun.WATCHED_PREFIX)) {
                    config.put(prefix + k.substring(EndOfRun.WATCHED_PREFIX.length()), v);
                }
            });
        } else {
            config.put(MonitorConfigKeys.POLICY_NAME, d.getPolicy());
            d.getParameters().forEach((k, v) -> config.put(prefix + k, v));
            config.put(MonitorConfigKeys.DECISION_MODE, d.getMode().name());
        }
        return config;
    }

    private static Map<String, String> withEvidenceSizes(Map<String, String> config, Set<String> runs,
                                                          Map<String, List<StopDecision>> recorded) {
        int window = 0;
        int hard = -1;
        for (String run : runs) {
            for (StopDecision d : recorded.getOrDefault(run, List.of())) {
                window = Math.max(window, d.getSignals().isEmpty() ? 0 : d.getSignals().get(0).getSteps().size());
                hard = Math.max(hard, d.getTopHardExampleIds().size());
            }
        }
        Map<String, String> sized = new TreeMap<>(config);
        if (window > 0) {
            sized.put(MonitorConfigKeys.SIGNAL_WINDOW_STEPS, Integer.toString(window));
        }
        if (hard >= 0) {
            sized.put(MonitorConfigKeys.TOP_HARD_EXAMPLES, Integer.toString(hard));
        }
        return sized;
    }
}
