import { modules } from "./modules/index.js";
import type { RouteSpec } from "./topology.js";

export const routes: RouteSpec[] = modules.flatMap((m) => m.routes);
