import type { FunctionSpec, RouteSpec, RuleSpec, ScheduleSpec } from "../topology.js";

/** One domain's share of the topology: its functions, the routes and rules that reach them. */
export interface StackModule {
  functions: FunctionSpec[];
  routes: RouteSpec[];
  rules: RuleSpec[];
  /** Functions run on a clock (daily settlement, digests, periodic re-checks). */
  schedules?: ScheduleSpec[];
}

// EventBridge's own defaults, kept explicit so both realizations use the same numbers.
export const defaultRetry = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };
