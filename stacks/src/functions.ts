import { modules } from "./modules/index.js";
import type { FunctionSpec } from "./topology.js";

export const functions: FunctionSpec[] = modules.flatMap((m) => m.functions);

export const functionByName = (name: string): FunctionSpec => {
  const found = functions.find((f) => f.name === name);
  if (!found) throw new Error(`stacks: no function named "${name}"`);
  return found;
};
