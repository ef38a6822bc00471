import { bus, mainTable } from "./table.js";
import { TABLE_ACCESS } from "./table-access.js";
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
  options: { timeoutSeconds?: number; memoryMb?: number; localOnly?: string } = {},
): FunctionSpec => ({
  name,
  handler: `packages/functions/src/${file}#handler`,
  description,
  links: links.map((link) => withEntities(name, link)),
  timeoutSeconds: options.timeoutSeconds ?? 10,
  memoryMb: options.memoryMb ?? 512,
  ...(options.localOnly ? { localOnly: options.localOnly } : {}),
});
export const termTimerMachine = (...actions: MachineAction[]): Link => ({
  kind: "stateMachine",
  stateMachine: "award-term",
  actions,
});
export const closeoutMachine = (...actions: MachineAction[]): Link => ({
  kind: "stateMachine",
  stateMachine: "award-closeout",
  actions,
});

/**
 * A main-table link with the entities the function declares in TABLE_ACCESS (read-only links
 * keep no writes). A function with no entry keeps a bare link, which the AWS plan refuses.
 */
const withEntities = (name: string, link: Link): Link => {
  const access = TABLE_ACCESS[name];
  if (link.kind !== "table" || link.table !== mainTable.name || link.read || !access) return link;
  const writes = link.access === "readwrite";
  return {
    ...link,
    read: access.read,
    write: writes ? access.write : [],
    ...(writes && access.delete ? { delete: access.delete } : {}),
  };
};
