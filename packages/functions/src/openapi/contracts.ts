import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type FunctionSpec, type RouteSpec, topology } from "@allot/stacks";
import type { HttpContract } from "../lib/http.js";

const root = resolve(import.meta.dirname, "../../../..");

export interface RouteContract {
  route: RouteSpec;
  fn: FunctionSpec;
  contract: HttpContract;
}

/**
 * Every route of stacks/ with what its handler declares (body, query, responses), read from the
 * handler module itself: the document and the e2e client's checks come from what the code runs.
 */
export const routeContracts = async (): Promise<RouteContract[]> =>
  Promise.all(
    topology.routes.map(async (route) => {
      const fn = topology.functions.find((f) => f.name === route.function);
      if (!fn) throw new Error(`No function ${route.function} for ${route.method} ${route.path}`);
      const [file = "", exportName = "handler"] = fn.handler.split("#");
      const module = await import(pathToFileURL(resolve(root, file)).href);
      const contract = (module[exportName] as { contract?: HttpContract } | undefined)?.contract;
      if (!contract) throw new Error(`${fn.handler} is not an httpHandler: it declares no contract`);
      return { route, fn, contract };
    }),
  );

export const routeKeyOf = (route: Pick<RouteSpec, "method" | "path">) => `${route.method} ${route.path}`;
