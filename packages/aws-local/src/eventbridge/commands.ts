import { validationException } from "../edge/errors.js";
import type { EventBridgeEmulator } from "./index.js";
import type { ReplayResult } from "./types.js";

export interface DeadLetterSummary {
  id: string;
  status: "dead" | "redriven";
  failedAt: string;
  bus: string;
  rule: string;
  function: string;
  eventId: string;
  detailType: string;
  attempts: number;
  error: string;
}

/** The operator's EventBridge commands: plain arguments in (strings from a command line), plain data out. */
export interface EventBridgeCommands {
  listDeadLetters(args?: { all?: boolean }): Promise<DeadLetterSummary[]>;
  redriveDeadLetters(args?: { ids?: string[] }): Promise<{ redriven: number }>;
  replay(args: {
    bus: string;
    from: string;
    to: string;
    rules?: string[];
    name?: string;
  }): Promise<ReplayResult>;
  /** Fires a scheduled rule now, as its clock would (a new event, outside its periods). */
  runSchedule(args: { name: string }): Promise<{ eventId: string; deliveries: number }>;
}

const parseTime = (label: string, value: string) => {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw validationException(`${label} "${value}" is not a date (use ISO 8601, e.g. 2026-01-31T12:00:00Z)`);
  return time;
};

export const eventBridgeCommands = (eventBridge: EventBridgeEmulator): EventBridgeCommands => ({
  listDeadLetters: async (args = {}) => {
    const letters = await eventBridge.listDeadLetters({ includeRedriven: args.all === true });
    return letters.map((letter) => ({
      id: letter.id,
      status: letter.status,
      failedAt: letter.failedAt,
      bus: letter.bus,
      rule: letter.rule,
      function: letter.function,
      eventId: letter.eventId,
      detailType: letter.event["detail-type"],
      attempts: letter.attempts,
      error: `${letter.error.type}: ${letter.error.message}`,
    }));
  },
  redriveDeadLetters: async (args = {}) => ({
    redriven: await eventBridge.redriveDeadLetters(args.ids && args.ids.length > 0 ? args.ids : undefined),
  }),
  replay: async (args) =>
    eventBridge.replay({
      bus: args.bus,
      from: parseTime("from", args.from),
      to: parseTime("to", args.to),
      ...(args.rules && args.rules.length > 0 ? { rules: args.rules } : {}),
      ...(args.name ? { name: args.name } : {}),
    }),
  runSchedule: (args) => eventBridge.runSchedule(args.name),
});
