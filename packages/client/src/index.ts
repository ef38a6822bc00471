import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./api.js";

// A typed client of the Allot HTTP API, from the committed OpenAPI document (types regenerated
// by `npm run openapi`): a path, parameter or body the API does not take is a compile error.

export type { components, paths };
export type AllotClient = Client<paths>;
export type Schemas = components["schemas"];

export interface AllotClientOptions {
  /** The API's base URL: the local stack's (http://127.0.0.1:3000) or a deployed stage's. */
  baseUrl: string;
  /** A bearer JWT whose `allot:role` claim is the caller's role; omit for the public operations. */
  token?: string;
  middleware?: Middleware[];
}

export const createAllotClient = ({ baseUrl, token, middleware = [] }: AllotClientOptions): AllotClient => {
  const client = createClient<paths>({
    baseUrl,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  client.use(...middleware);
  return client;
};

/** The JSON body an operation takes, e.g. `RequestBody<"/proposals", "post">`. */
export type RequestBody<
  Path extends keyof paths,
  Method extends keyof paths[Path],
> = paths[Path][Method] extends {
  requestBody?: { content: { "application/json": infer Body } };
}
  ? Body
  : never;

/** The JSON body an operation answers with this status, e.g. `ResponseBody<"/awards/{awardId}", "get">`. */
export type ResponseBody<
  Path extends keyof paths,
  Method extends keyof paths[Path],
  Status extends number = 200,
> = paths[Path][Method] extends {
  responses: { [S in Status]: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;
