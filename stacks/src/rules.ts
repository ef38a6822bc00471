import { modules } from "./modules/index.js";
import type { RuleSpec, ScheduleSpec } from "./topology.js";

export const rules: RuleSpec[] = modules.flatMap((m) => m.rules);

export const schedules: ScheduleSpec[] = modules.flatMap((m) => m.schedules ?? []);
