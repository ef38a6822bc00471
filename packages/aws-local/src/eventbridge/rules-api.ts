import { AwsServiceError, resourceNotFound, validationException } from "../edge/errors.js";
import type { Logger } from "../logger.js";
import {
  type Bus,
  type CompiledRule,
  compileRuntimeRule,
  DEFAULT_BUS,
  type Registry,
  type RuleDefinition,
} from "./bus.js";
import { RULE_PARTITION, type RuntimeStore } from "./runtime-store.js";
import {
  type ArnKind,
  describeTarget,
  limitExceeded,
  MAX_TARGETS_PER_RULE,
  parseTarget,
  type RuleTarget,
  targetLabel,
} from "./targets.js";

type Input = Record<string, unknown>;
type Operation = (input: Input) => Promise<unknown>;

const namePattern = /^[.\-_A-Za-z0-9]+$/;

const optionalString = (input: Input, name: string): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw validationException(`Parameter ${name} is not valid. Reason: it must be a string.`);
  return value;
};

const lowerFirst = (name: string) => `${name[0]?.toLowerCase()}${name.slice(1)}`;

const ruleName = (input: Input, field: string): string => {
  const value = optionalString(input, field);
  const at = lowerFirst(field);
  if (value === undefined || value === "")
    throw validationException(
      `1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`,
    );
  if (value.length > 64)
    throw validationException(
      `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  if (!namePattern.test(value))
    throw validationException(
      `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`,
    );
  return value;
};

const readOnly = (rule: CompiledRule, bus: Bus) =>
  new AwsServiceError(
    "ManagedRuleException",
    `Rule ${rule.spec.name} on EventBus ${bus.name} comes from the configuration the local AWS started with and is read-only; change that configuration and restart.`,
  );

/** A stored runtime rule: its definition and when it was created. */
interface StoredRule {
  spec: RuleDefinition;
}

export interface RulesApiDeps {
  registry: Registry;
  store: RuntimeStore;
  logger: Logger;
  busOf(input: Input, field?: string): Bus;
  /** What a target's Arn names here (a local function or an API destination), undefined otherwise. */
  arnKind(arn: string): ArnKind;
  /** The ARN a target is listed with. */
  targetArn(target: RuleTarget): string;
}

/** Loads the runtime rules stored by earlier runs onto their buses. */
export const loadRuntimeRules = async (deps: { registry: Registry; store: RuntimeStore; logger: Logger }) => {
  const stored = await deps.store.list<StoredRule>(RULE_PARTITION);
  for (const { spec } of stored) {
    const bus = deps.registry.buses.get(spec.bus);
    if (!bus) {
      deps.logger.warn("eventbridge runtime rule names a bus that no longer exists; ignored", {
        rule: spec.name,
        bus: spec.bus,
      });
      continue;
    }
    const existing = bus.rules.find((rule) => rule.spec.name === spec.name);
    if (existing?.origin === "topology") {
      deps.logger.warn("eventbridge runtime rule shadowed by a topology rule of the same name; ignored", {
        rule: spec.name,
        bus: spec.bus,
      });
      continue;
    }
    deps.registry.setRule(compileRuntimeRule(spec, deps.registry.ruleArn(spec.bus, spec.name)));
  }
  return stored.length;
};

const compile = (registry: Registry, spec: RuleDefinition): CompiledRule => {
  try {
    return compileRuntimeRule(spec, registry.ruleArn(spec.bus, spec.name));
  } catch (error) {
    if ((error as Error)?.name === "InvalidEventPatternException")
      throw new AwsServiceError("InvalidEventPatternException", (error as Error).message);
    throw error;
  }
};

/** Ids of topology targets, which have none of their own: the function's name (with a count when repeated). */
const targetIds = (rule: CompiledRule) => {
  const seen = new Map<string, number>();
  return rule.spec.targets.map((target) => {
    if (target.id) return target.id;
    const label = targetLabel(target);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label}-${count}`;
  });
};

export const describeRule = (bus: Bus, rule: CompiledRule) => ({
  Name: rule.spec.name,
  Arn: rule.arn,
  ...(rule.schedule
    ? { ScheduleExpression: rule.schedule.expression }
    : { EventPattern: JSON.stringify(rule.spec.pattern) }),
  State: rule.spec.state ?? "ENABLED",
  ...(rule.spec.description ? { Description: rule.spec.description } : {}),
  EventBusName: bus.name,
});

export const rulesApi = (
  deps: RulesApiDeps,
  page: <T>(items: T[], input: Input) => { items: T[]; next?: string },
) => {
  const { registry, store } = deps;
  // One change at a time: each reads the rule, writes the table, then swaps the rule in memory.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized =
    (operation: Operation): Operation =>
    (input) => {
      const run = queue.then(() => operation(input));
      queue = run.catch(() => undefined);
      return run;
    };

  const findRule = (bus: Bus, name: string) => bus.rules.find((rule) => rule.spec.name === name);
  const ruleOf = (bus: Bus, name: string): CompiledRule => {
    const rule = findRule(bus, name);
    if (!rule) throw resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  };
  const runtimeRuleOf = (bus: Bus, name: string): CompiledRule => {
    const rule = ruleOf(bus, name);
    if (rule.origin === "topology") throw readOnly(rule, bus);
    return rule;
  };
  const save = async (spec: RuleDefinition) => {
    const compiled = compile(registry, spec);
    await store.put(RULE_PARTITION, `${spec.bus}#${spec.name}`, { spec } satisfies StoredRule);
    registry.setRule(compiled);
    return compiled;
  };

  const putRule: Operation = async (input) => {
    const bus = deps.busOf(input);
    const name = ruleName(input, "Name");
    const existing = findRule(bus, name);
    if (existing?.origin === "topology") throw readOnly(existing, bus);
    if (input.ScheduleExpression !== undefined && input.ScheduleExpression !== null) {
      if (bus.name !== DEFAULT_BUS)
        throw validationException("ScheduleExpression is supported only on the default event bus.");
      throw validationException(
        "ScheduleExpression is not available for rules created at run time locally: declare scheduled rules in the configuration the local AWS starts with.",
      );
    }
    const patternText = optionalString(input, "EventPattern");
    if (patternText === undefined)
      throw validationException("Parameter(s) EventPattern or ScheduleExpression must be specified.");
    if (patternText.length > 4096)
      throw new AwsServiceError(
        "InvalidEventPatternException",
        "Event pattern is longer than 4096 characters.",
      );
    let pattern: unknown;
    try {
      pattern = JSON.parse(patternText);
    } catch (error) {
      throw new AwsServiceError(
        "InvalidEventPatternException",
        `Event pattern is not valid. Reason: ${(error as Error).message}`,
      );
    }
    if (typeof pattern !== "object" || pattern === null || Array.isArray(pattern))
      throw new AwsServiceError(
        "InvalidEventPatternException",
        "Event pattern is not valid. Reason: it must be a JSON object.",
      );
    const state = optionalString(input, "State") ?? "ENABLED";
    if (state !== "ENABLED" && state !== "DISABLED")
      throw validationException(
        `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
      );
    const description = optionalString(input, "Description");
    if (description !== undefined && description.length > 512)
      throw validationException(
        "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512",
      );
    const rule = await save({
      name,
      bus: bus.name,
      pattern: pattern as Record<string, unknown>,
      targets: existing?.spec.targets ?? [],
      state,
      ...(description ? { description } : {}),
    });
    return { RuleArn: rule.arn };
  };

  const setState =
    (state: "ENABLED" | "DISABLED"): Operation =>
    async (input) => {
      const bus = deps.busOf(input);
      const rule = runtimeRuleOf(bus, ruleName(input, "Name"));
      await save({ ...rule.spec, state });
      return {};
    };

  const deleteRule: Operation = async (input) => {
    const bus = deps.busOf(input);
    const name = ruleName(input, "Name");
    const rule = findRule(bus, name);
    if (!rule) return {};
    if (rule.origin === "topology") throw readOnly(rule, bus);
    if (rule.spec.targets.length > 0)
      throw validationException("Rule can't be deleted since it has targets.");
    await store.delete(RULE_PARTITION, `${bus.name}#${name}`);
    registry.removeRule(bus.name, name);
    return {};
  };

  const putTargets: Operation = async (input) => {
    const bus = deps.busOf(input);
    const rule = runtimeRuleOf(bus, ruleName(input, "Rule"));
    const raw = input.Targets;
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > 10)
      throw validationException(
        "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10",
      );
    const parsed = raw.map(parseTarget);
    const ids = new Set<string>();
    for (const target of parsed) {
      if (ids.has(target.id))
        throw validationException(`Target id ${target.id} appears more than once in the request.`);
      ids.add(target.id);
    }
    const targets = [...rule.spec.targets];
    const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
    for (const target of parsed) {
      const kind = deps.arnKind(target.arn);
      if (!kind) {
        failed.push({
          TargetId: target.id,
          ErrorCode: "ValidationException",
          ErrorMessage: `Target ${target.id}: ${target.arn} is neither a local Lambda function nor an API destination of this EventBridge.`,
        });
        continue;
      }
      if (kind.kind === "function" && target.http) {
        failed.push({
          TargetId: target.id,
          ErrorCode: "ValidationException",
          ErrorMessage: `Target ${target.id}: HttpParameters apply only to API destination targets.`,
        });
        continue;
      }
      const common = { id: target.id, retry: target.retry, ...(target.input ? { input: target.input } : {}) };
      const next: RuleTarget =
        kind.kind === "function"
          ? { kind: "function", function: kind.name, ...common }
          : {
              kind: "http",
              destination: kind.destination,
              ...common,
              ...(target.http ? { http: target.http } : {}),
            };
      const index = targets.findIndex((t) => t.id === target.id);
      if (index >= 0) targets[index] = next;
      else targets.push(next);
    }
    if (targets.length > MAX_TARGETS_PER_RULE)
      throw limitExceeded(
        `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS_PER_RULE} targets.`,
      );
    await save({ ...rule.spec, targets });
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  };

  const removeTargets: Operation = async (input) => {
    const bus = deps.busOf(input);
    const rule = runtimeRuleOf(bus, ruleName(input, "Rule"));
    const ids = input.Ids;
    if (
      !Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > 100 ||
      !ids.every((id) => typeof id === "string")
    )
      throw validationException(
        "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100",
      );
    const remove = new Set(ids as string[]);
    await save({ ...rule.spec, targets: rule.spec.targets.filter((t) => !remove.has(t.id ?? "")) });
    return { FailedEntryCount: 0, FailedEntries: [] };
  };

  return {
    PutRule: serialized(putRule),
    DeleteRule: serialized(deleteRule),
    EnableRule: serialized(setState("ENABLED")),
    DisableRule: serialized(setState("DISABLED")),
    PutTargets: serialized(putTargets),
    RemoveTargets: serialized(removeTargets),
    ListRules: async (input: Input) => {
      const bus = deps.busOf(input);
      const prefix = optionalString(input, "NamePrefix") ?? "";
      const rules = bus.rules.filter((rule) => rule.spec.name.startsWith(prefix));
      const { items, next } = page(rules, input);
      return { Rules: items.map((rule) => describeRule(bus, rule)), ...(next ? { NextToken: next } : {}) };
    },
    DescribeRule: async (input: Input) => {
      const bus = deps.busOf(input);
      const rule = ruleOf(bus, ruleName(input, "Name"));
      return { ...describeRule(bus, rule), CreatedBy: registry.accountId };
    },
    ListTargetsByRule: async (input: Input) => {
      const bus = deps.busOf(input);
      const rule = ruleOf(bus, ruleName(input, "Rule"));
      const ids = targetIds(rule);
      const targets = rule.spec.targets.map((target, i) =>
        describeTarget(target, deps.targetArn(target), ids[i] as string),
      );
      const { items, next } = page(targets, input);
      return { Targets: items, ...(next ? { NextToken: next } : {}) };
    },
  } satisfies Record<string, Operation>;
};
