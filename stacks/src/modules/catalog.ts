import { fn } from "../links.js";
import type { StackModule } from "./module.js";

// The published event catalog, public like the OpenAPI document: integrations read it before they
// have credentials. Both are served from the committed documents (`npm run catalog`).
export const catalog: StackModule = {
  functions: [
    fn(
      "events-catalog",
      "http/catalog/events-catalog.ts",
      "The event catalog: JSON Schema and an example per event",
      [],
    ),
    fn("asyncapi", "http/catalog/asyncapi.ts", "The AsyncAPI 3.0 document of the events", []),
  ],
  routes: [
    { method: "GET", path: "/events/catalog", function: "events-catalog", roles: [], public: true },
    { method: "GET", path: "/asyncapi.json", function: "asyncapi", roles: [], public: true },
  ],
  rules: [],
};
