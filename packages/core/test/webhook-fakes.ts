import { ConcurrentModification, conflict } from "../src/errors.js";
import type { DomainEvent } from "../src/events/define.js";
import {
  type EventPatternTester,
  InvalidEventPattern,
  type Subscription,
  type SubscriptionRepository,
  type SubscriptionRules,
} from "../src/webhook/index.js";

/** An in-memory SubscriptionRepository with the DynamoDB adapter's conditions. */
export const memorySubscriptions = () => {
  const items = new Map<string, Subscription>();
  const events: DomainEvent[] = [];
  const repo: SubscriptionRepository = {
    async get(id) {
      const s = items.get(id);
      return s ? structuredClone(s) : undefined;
    },
    async create(s, evs) {
      if (items.has(s.subscriptionId)) throw conflict("exists");
      items.set(s.subscriptionId, structuredClone(s));
      events.push(...evs);
    },
    async update(s, expectedRevision, evs) {
      if (items.get(s.subscriptionId)?.revision !== expectedRevision)
        throw new ConcurrentModification(`Subscription ${s.subscriptionId}`);
      items.set(s.subscriptionId, structuredClone(s));
      events.push(...evs);
    },
    async list({ ownerId, limit, cursor }) {
      const all = [...items.values()]
        .filter((s) => ownerId === undefined || s.ownerId === ownerId)
        .sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1));
      const start = cursor ? Number(cursor) : 0;
      const page = all.slice(start, start + limit);
      return {
        items: page.map((s) => structuredClone(s)),
        ...(start + limit < all.length ? { cursor: String(start + limit) } : {}),
      };
    },
  };
  return { repo, items, events };
};

/** The rules a SubscriptionRules adapter would hold on the bus. */
export const memoryRules = () => {
  const rules = new Map<
    string,
    { subscriptionId: string; pattern: Record<string, unknown>; enabled: boolean }
  >();
  const port: SubscriptionRules = {
    async put(ruleName, subscriptionId, pattern, enabled) {
      rules.set(ruleName, { subscriptionId, pattern: structuredClone(pattern), enabled });
    },
    async delete(ruleName) {
      rules.delete(ruleName);
    },
  };
  return { port, rules };
};

/** A pattern tester that refuses what EventBridge refuses most often: a non-array leaf. */
export const leafArrayPatterns = (): EventPatternTester => {
  const check = (value: unknown, path: string): void => {
    if (Array.isArray(value)) return;
    if (typeof value !== "object" || value === null)
      throw new InvalidEventPattern(
        `Event pattern is not valid. Reason: "${path}" must be an object or an array`,
      );
    for (const [k, v] of Object.entries(value)) check(v, k);
  };
  return {
    async validate(pattern) {
      check(pattern, "(root)");
    },
    async matches() {
      return true;
    },
  };
};
