import { bus, mainTable } from "./table.js";
import type { FunctionSpec, Link } from "./topology.js";

export const tableReadWrite: Link = { kind: "table", table: mainTable.name, access: "readwrite" };
export const tableRead: Link = { kind: "table", table: mainTable.name, access: "read" };
export const busPublish: Link = { kind: "bus", bus: bus.name };
/** Crossref, DataCite, arXiv and GitHub, for output verification. */
export const registries: Link = { kind: "registries" };
type MachineAction = "start" | "callback" | "read";
export const reviewWorkflow = (...actions: MachineAction[]): Link => ({
  kind: "stateMachine",
  stateMachine: "proposal-review",
  actions,
});
export const awardWorkflow = (...actions: MachineAction[]): Link => ({
  kind: "stateMachine",
  stateMachine: "award-provisioning",
  actions,
});

/** A function spec with the house defaults; `file` is under packages/functions/src. */
export const fn = (
  name: string,
  file: string,
  description: string,
  links: Link[],
  options: { timeoutSeconds?: number; memoryMb?: number } = {},
): FunctionSpec => ({
  name,
  handler: `packages/functions/src/${file}#handler`,
  description,
  links,
  timeoutSeconds: options.timeoutSeconds ?? 10,
  memoryMb: options.memoryMb ?? 512,
});
