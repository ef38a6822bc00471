import type { Logger } from "../logger.js";
import type { Bus, CompiledRule } from "./bus.js";
import type { RuleTarget } from "./targets.js";
import type { EventEnvelope } from "./types.js";

export interface MatchedTarget {
  rule: CompiledRule;
  target: RuleTarget;
  targetIndex: number;
}

/** The targets of the bus's rules (or of `only` those rules) whose pattern matches the event. */
export const matchingTargets = (
  bus: Bus,
  envelope: EventEnvelope,
  logger: Logger,
  only?: ReadonlySet<string>,
): MatchedTarget[] => {
  const matched: MatchedTarget[] = [];
  for (const rule of bus.rules) {
    if (only && !only.has(rule.spec.name)) continue;
    if (rule.spec.state === "DISABLED") continue;
    let matches: boolean;
    try {
      matches = rule.matches(envelope);
    } catch (error) {
      // A compiled pattern that throws at match time is a matcher bug: say so loudly, keep the bus running.
      logger.error("eventbridge pattern evaluation failed", { rule: rule.spec.name, error: String(error) });
      continue;
    }
    if (!matches) continue;
    rule.spec.targets.forEach((target, targetIndex) => {
      matched.push({ rule, target, targetIndex });
    });
  }
  return matched;
};
