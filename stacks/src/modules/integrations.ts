import { fn, tableRead, tableReadWrite } from "../links.js";
import type { StackModule } from "./module.js";

// Integration clients (OAuth 2.0 client credentials), managed by staff. The token endpoint is
// not a route here: locally the issuer serves POST /oauth2/token, on AWS Cognito does, and
// there the clients are Cognito app clients (README "Integrations on AWS"). A client made by
// these routes could get no token on AWS, so they are not deployed there.
const ON_AWS = "On AWS integrations are Cognito app clients, and Cognito issues their tokens";

export const integrations: StackModule = {
  functions: [
    fn(
      "create-integration-client",
      "http/integrations/create-client.ts",
      "Staff create an integration client; its secret is shown once",
      [tableReadWrite],
      { localOnly: ON_AWS },
    ),
    fn(
      "list-integration-clients",
      "http/integrations/list-clients.ts",
      "Staff list integration clients",
      [tableRead],
      { localOnly: ON_AWS },
    ),
    fn(
      "get-integration-client",
      "http/integrations/get-client.ts",
      "Staff read one integration client",
      [tableRead],
      { localOnly: ON_AWS },
    ),
    fn(
      "revoke-integration-client",
      "http/integrations/revoke-client.ts",
      "Staff revoke an integration client; the token endpoint refuses it from then on",
      [tableReadWrite],
      { localOnly: ON_AWS },
    ),
  ],
  routes: [
    {
      method: "POST",
      path: "/integrations/clients",
      function: "create-integration-client",
      roles: ["staff"],
      localOnly: ON_AWS,
    },
    {
      method: "GET",
      path: "/integrations/clients",
      function: "list-integration-clients",
      roles: ["staff"],
      localOnly: ON_AWS,
    },
    {
      method: "GET",
      path: "/integrations/clients/{clientId}",
      function: "get-integration-client",
      roles: ["staff"],
      localOnly: ON_AWS,
    },
    {
      method: "POST",
      path: "/integrations/clients/{clientId}/revoke",
      function: "revoke-integration-client",
      roles: ["staff"],
      localOnly: ON_AWS,
    },
  ],
  rules: [],
  schedules: [],
};
