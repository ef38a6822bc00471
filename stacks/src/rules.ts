import { modules } from "./modules/index.js";
import type { RuleSpec } from "./topology.js";

export const rules: RuleSpec[] = modules.flatMap((m) => m.rules);
