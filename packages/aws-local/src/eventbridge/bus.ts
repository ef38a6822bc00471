import type { BusSpec, RuleSpec, ScheduledRuleSpec, TargetSpec } from "../config.js";
import { compilePattern } from "./pattern/index.js";
import {
  InvalidScheduleExpressionError,
  parseScheduleExpression,
  type Schedule,
} from "./schedule-expression.js";
import type { RuleTarget } from "./targets.js";

export const DEFAULT_BUS = "default";

/** A rule as the bus holds it: from the configuration (topology) or created through PutRule (runtime). */
export interface RuleDefinition {
  name: string;
  bus: string;
  description?: string;
  pattern: Record<string, unknown>;
  targets: RuleTarget[];
  /** A DISABLED rule matches nothing; topology rules are always ENABLED. */
  state?: "ENABLED" | "DISABLED";
}

export interface CompiledRule {
  spec: RuleDefinition;
  arn: string;
  /** Topology rules come from the configuration the emulator started with and are read-only. */
  origin: "topology" | "runtime";
  matches(event: unknown): boolean;
  /** A scheduled rule's clock; such a rule matches no event put on the bus. */
  schedule?: Schedule;
}

/** A scheduled rule as the schedules runner sees it (it is also one of the default bus's rules). */
export type ScheduledRule = CompiledRule & { schedule: Schedule };

export interface Bus {
  name: string;
  arn: string;
  archiveRetentionDays: number;
  rules: CompiledRule[];
}

export interface Registry {
  region: string;
  accountId: string;
  buses: Map<string, Bus>;
  /** The scheduled rules (all on the default bus), by name. */
  schedules: Map<string, ScheduledRule>;
  /** A bus name or event-bus ARN to the bus, or undefined when it does not exist here. */
  resolve(nameOrArn: string | undefined): Bus | undefined;
  /** What the caller wrote, reduced to a bus name (for messages). */
  nameOf(nameOrArn: string | undefined): string;
  functionArn(name: string): string;
  ruleArn(bus: string, name: string): string;
  /** Adds a runtime rule, or replaces the runtime rule of that name on its bus. */
  setRule(rule: CompiledRule): void;
  removeRule(bus: string, name: string): void;
}

const byName = (a: CompiledRule, b: CompiledRule) => (a.spec.name < b.spec.name ? -1 : 1);

/** A runtime rule ready for the bus; throws InvalidEventPatternException for a pattern the matcher refuses. */
export const compileRuntimeRule = (spec: RuleDefinition, arn: string): CompiledRule => {
  const compiled = compilePattern(spec.pattern);
  return { spec, arn, origin: "runtime", matches: (event) => compiled.matches(event) };
};

const busArnPattern = /^arn:aws[\w-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/;

export class InvalidRuleError extends Error {
  override name = "InvalidEventPatternException";
}

/** Rules are compiled once here: a pattern the matcher refuses stops the runtime at start-up. */
export const createRegistry = (options: {
  buses: BusSpec[];
  rules: RuleSpec[];
  scheduledRules?: ScheduledRuleSpec[];
  region: string;
  accountId: string;
  hasFunction(name: string): boolean;
}): Registry => {
  const { region, accountId } = options;
  const busArn = (name: string) => `arn:aws:events:${region}:${accountId}:event-bus/${name}`;
  const ruleArn = (bus: string, name: string) =>
    `arn:aws:events:${region}:${accountId}:rule/${bus === DEFAULT_BUS ? "" : `${bus}/`}${name}`;
  const buses = new Map<string, Bus>();
  // The default bus always exists on AWS; without an archive setting it keeps events forever.
  buses.set(DEFAULT_BUS, { name: DEFAULT_BUS, arn: busArn(DEFAULT_BUS), archiveRetentionDays: 0, rules: [] });
  for (const spec of options.buses) {
    buses.set(spec.name, {
      name: spec.name,
      arn: busArn(spec.name),
      archiveRetentionDays: spec.archiveRetentionDays,
      rules: [],
    });
  }
  for (const spec of options.rules) {
    const bus = buses.get(spec.bus);
    if (!bus)
      throw new Error(`EventBridge rule "${spec.name}" names bus "${spec.bus}", which is not declared`);
    if (bus.rules.some((rule) => rule.spec.name === spec.name)) {
      throw new Error(`EventBridge rule "${spec.name}" is declared twice on bus "${spec.bus}"`);
    }
    if (spec.targets.length > 5) {
      throw new Error(
        `EventBridge rule "${spec.name}" has ${spec.targets.length} targets; AWS allows at most 5`,
      );
    }
    for (const target of spec.targets) checkTarget(spec, target, options.hasFunction);
    let compiled: { matches(event: unknown): boolean };
    try {
      compiled = compilePattern(spec.pattern);
    } catch (error) {
      if ((error as Error)?.name !== "InvalidEventPatternException") throw error;
      throw new InvalidRuleError(
        `EventBridge rule "${spec.name}" on bus "${spec.bus}" has an invalid pattern: ${(error as Error).message}`,
        { cause: error },
      );
    }
    bus.rules.push({
      spec,
      arn: ruleArn(spec.bus, spec.name),
      origin: "topology",
      matches: (event) => compiled.matches(event),
    });
  }
  const schedules = new Map<string, ScheduledRule>();
  const defaultBus = buses.get(DEFAULT_BUS) as Bus;
  for (const scheduled of options.scheduledRules ?? []) {
    const spec: RuleSpec = {
      name: scheduled.name,
      bus: DEFAULT_BUS,
      pattern: {},
      targets: scheduled.targets,
      ...(scheduled.description ? { description: scheduled.description } : {}),
    };
    if (defaultBus.rules.some((rule) => rule.spec.name === spec.name)) {
      throw new Error(`EventBridge rule "${spec.name}" is declared twice on bus "${DEFAULT_BUS}"`);
    }
    if (spec.targets.length > 5) {
      throw new Error(
        `EventBridge rule "${spec.name}" has ${spec.targets.length} targets; AWS allows at most 5`,
      );
    }
    for (const target of spec.targets) checkTarget(spec, target, options.hasFunction);
    let schedule: Schedule;
    try {
      schedule = parseScheduleExpression(scheduled.scheduleExpression);
    } catch (error) {
      if (!(error instanceof InvalidScheduleExpressionError)) throw error;
      throw new InvalidRuleError(`EventBridge rule "${spec.name}": ${error.message}`, { cause: error });
    }
    const rule: ScheduledRule = {
      spec,
      arn: ruleArn(DEFAULT_BUS, spec.name),
      origin: "topology",
      matches: () => false,
      schedule,
    };
    defaultBus.rules.push(rule);
    schedules.set(spec.name, rule);
  }
  for (const bus of buses.values()) bus.rules.sort(byName);

  const nameOf = (nameOrArn: string | undefined) => {
    if (!nameOrArn) return DEFAULT_BUS;
    return busArnPattern.exec(nameOrArn)?.[1] ?? nameOrArn;
  };
  return {
    region,
    accountId,
    buses,
    schedules,
    nameOf,
    resolve: (nameOrArn) => {
      const match = nameOrArn ? busArnPattern.exec(nameOrArn) : null;
      if (match && nameOrArn !== busArn(match[1] ?? "")) return undefined;
      return buses.get(nameOf(nameOrArn));
    },
    functionArn: (name) => `arn:aws:lambda:${region}:${accountId}:function:${name}`,
    ruleArn,
    setRule: (rule) => {
      const bus = buses.get(rule.spec.bus);
      if (!bus)
        throw new Error(
          `EventBridge rule "${rule.spec.name}" names bus "${rule.spec.bus}", which does not exist`,
        );
      const index = bus.rules.findIndex((r) => r.spec.name === rule.spec.name);
      if (index >= 0 && bus.rules[index]?.origin === "topology") {
        throw new Error(`EventBridge rule "${rule.spec.name}" is a topology rule`);
      }
      if (index >= 0) bus.rules[index] = rule;
      else {
        bus.rules.push(rule);
        bus.rules.sort(byName);
      }
    },
    removeRule: (busName, name) => {
      const bus = buses.get(busName);
      if (!bus) return;
      bus.rules = bus.rules.filter((r) => r.origin === "topology" || r.spec.name !== name);
    },
  };
};

const checkTarget = (rule: RuleSpec, target: TargetSpec, hasFunction: (name: string) => boolean) => {
  if (!hasFunction(target.function)) {
    throw new Error(
      `EventBridge rule "${rule.name}" targets function "${target.function}", which is not declared`,
    );
  }
  const { maximumRetryAttempts, maximumEventAgeSeconds } = target.retry;
  // The bounds AWS enforces on a target's RetryPolicy.
  if (!Number.isInteger(maximumRetryAttempts) || maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
    throw new Error(`EventBridge rule "${rule.name}": maximumRetryAttempts must be an integer from 0 to 185`);
  }
  if (
    !Number.isInteger(maximumEventAgeSeconds) ||
    maximumEventAgeSeconds < 60 ||
    maximumEventAgeSeconds > 86_400
  ) {
    throw new Error(
      `EventBridge rule "${rule.name}": maximumEventAgeSeconds must be an integer from 60 to 86400`,
    );
  }
};
