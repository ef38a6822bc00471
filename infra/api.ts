// The HTTP API: every route in stacks/ → its function; every non-public route behind the JWT
// authorizer, whose issuer and audiences are per-stage configuration (SST secrets).
import type { ApiPlan } from "./plan.js";
import type { Resolver } from "./resolve.js";

/** The API without routes, so its URL exists before the functions that read it. */
export const createApi = (api: ApiPlan) =>
  new sst.aws.ApiGatewayV2(api.logicalName, {
    cors: api.cors,
    accessLog: { retention: api.accessLogRetention },
  });

/** The authorizer and every route, once the functions exist. */
export const addRoutes = (created: sst.aws.ApiGatewayV2, api: ApiPlan, resolve: Resolver) => {
  const issuer = new sst.Secret(api.authorizer.issuerSecret);
  const audiences = new sst.Secret(api.authorizer.audiencesSecret);
  // Integrations' Cognito app clients: their access tokens carry client_id, which API Gateway
  // matches against the same audience list. Empty ("") when the stage has none.
  const integrationClients = new sst.Secret(api.authorizer.integrationClientsSecret, "");

  const authorizer = created.addAuthorizer({
    name: api.authorizer.name,
    jwt: {
      issuer: issuer.value,
      audiences: $resolve([audiences.value, integrationClients.value]).apply((values) =>
        values
          .join(",")
          .split(",")
          .map((audience) => audience.trim())
          .filter(Boolean),
      ),
      identitySource: api.authorizer.identitySource,
    },
  });

  for (const route of api.routes) {
    created.route(route.key, resolve.arn({ kind: "function", function: route.function }), {
      auth: route.auth === "jwt" ? { jwt: { authorizer: authorizer.id } } : false,
    });
  }
  return created;
};
