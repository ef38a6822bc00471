import type { IncomingMessage } from "node:http";
import { IntegrationScope } from "@allot/core";
import { authenticateClient, type IntegrationClientRepository } from "@allot/core/integration";
import { type Issuer, LOCAL_ISSUER } from "./issuer.js";

// The local issuer's OAuth 2.0 token endpoint, client credentials grant only (RFC 6749 §4.4).
// On AWS Cognito's domain serves this; both answer the same shape, and the API reads both
// tokens the same way (role integration, scopes, subject = client id).

export const TOKEN_PATH = "/oauth2/token";
export const TOKEN_TTL_SECONDS = 3600;

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

// RFC 6749 §5.2: an error code and a description for the developer.
const refuse = (
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
) => ({
  status,
  body: { error, error_description: description },
  headers: { ...NO_STORE, ...headers },
});

const basicCredentials = (header: string | undefined) => {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "")?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  // §2.3.1: both parts are form-urlencoded before they are joined.
  const part = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return undefined;
    }
  };
  const id = part(decoded.slice(0, colon));
  const secret = part(decoded.slice(colon + 1));
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
};

const MAX_FORM_BYTES = 4096;

export const answerTokenRequest = async (
  request: Pick<IncomingMessage, "method" | "headers">,
  body: Buffer,
  deps: { clients: IntegrationClientRepository; issuer: Issuer },
): Promise<TokenAnswer> => {
  if (request.method !== "POST")
    return refuse(405, "invalid_request", "The token endpoint takes POST", { allow: "POST" });
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded")
    return refuse(400, "invalid_request", "Send the parameters as application/x-www-form-urlencoded");
  if (body.length > MAX_FORM_BYTES) return refuse(400, "invalid_request", "The request body is too large");
  const form = new URLSearchParams(body.toString("utf8"));
  for (const name of ["grant_type", "client_id", "client_secret", "scope"]) {
    if (form.getAll(name).length > 1)
      return refuse(400, "invalid_request", `The parameter ${name} must appear at most once`);
  }
  const grantType = form.get("grant_type");
  if (!grantType) return refuse(400, "invalid_request", "The parameter grant_type is required");
  if (grantType !== "client_credentials")
    return refuse(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported");

  const basic = basicCredentials(request.headers.authorization);
  const inBody = form.has("client_id") || form.has("client_secret");
  if (basic && inBody)
    return refuse(
      400,
      "invalid_request",
      "Authenticate the client one way: HTTP Basic or client_id/client_secret",
    );
  const credentials = basic ?? { id: form.get("client_id") ?? "", secret: form.get("client_secret") ?? "" };
  const unauthorized = () =>
    refuse(401, "invalid_client", "Client authentication failed (unknown client, wrong secret, or revoked)", {
      "www-authenticate": 'Basic realm="allot"',
    });
  if (!credentials.id || !credentials.secret || credentials.id.length > 64 || credentials.secret.length > 256)
    return unauthorized();
  const client = await authenticateClient(deps.clients, credentials.id, credentials.secret);
  if (!client) return unauthorized();

  const asked = form.get("scope");
  const wanted = asked === null ? client.scopes : [...new Set(asked.split(" ").filter(Boolean))];
  const beyond = wanted.filter((s) => !client.scopes.includes(s as IntegrationScope));
  if (asked !== null && (wanted.length === 0 || beyond.length))
    return refuse(
      400,
      "invalid_scope",
      wanted.length === 0
        ? "The scope parameter names no scope"
        : `This client is not granted ${beyond.join(" ")}; it may ask for ${client.scopes.join(" ")}`,
    );
  const scope = wanted.filter((s) => IntegrationScope.safeParse(s).success).join(" ");
  const accessToken = await deps.issuer.mint(
    { sub: client.clientId, role: "integration", scope, client_id: client.clientId },
    TOKEN_TTL_SECONDS,
  );
  return {
    status: 200,
    body: { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_TTL_SECONDS, scope },
    headers: NO_STORE,
  };
};

/** Enough discovery for a client library to find the token endpoint. */
export const openidConfiguration = (baseUrl: string) => ({
  issuer: LOCAL_ISSUER,
  token_endpoint: `${baseUrl}${TOKEN_PATH}`,
  grant_types_supported: ["client_credentials"],
  token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
  scopes_supported: IntegrationScope.options,
});
