import { eventCatalog } from "./events.js";
import { functionByName, functions } from "./functions.js";
import { routes } from "./routes.js";
import { rules, schedules } from "./rules.js";
import { renderDefinition, stateMachines } from "./state-machines/index.js";
import { streamSubscriptions } from "./streams.js";
import { bus, mainTable } from "./table.js";
import type { Topology } from "./topology.js";

export { allStates, functionsOf } from "./asl/walk.js";
export * from "./topology.js";
export { bus, eventCatalog, functionByName, mainTable, renderDefinition };

export const topology: Topology = {
  app: "allot",
  tables: [mainTable],
  buses: [bus],
  functions,
  routes,
  rules,
  schedules,
  streamSubscriptions,
  stateMachines,
};
