import { busPublish, fn } from "../links.js";
import type { StackModule } from "./module.js";

export const platform: StackModule = {
  functions: [
    fn("openapi", "http/openapi.ts", "The OpenAPI 3.1 document of this API", []),
    fn(
      "outbox-relay",
      "streams/outbox-relay.ts",
      "Publishes outbox entries to the bus, so no state change is lost",
      [busPublish],
      {
        timeoutSeconds: 30,
      },
    ),
  ],
  routes: [{ method: "GET", path: "/openapi.json", function: "openapi", roles: [], public: true }],
  rules: [],
};
