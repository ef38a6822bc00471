import { dynamoIdempotencyStore } from "@allot/adapters";
import { type Actor, conflict, systemClock } from "@allot/core";
import {
  IDEMPOTENCY_HEADER,
  type IdempotencyStore,
  idempotencyKey,
  operationIdOf,
  requestFingerprint,
} from "@allot/core/idempotency";
import { routes } from "@allot/stacks/routes";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { doc, once, tableName } from "./deps.js";
import { clientAnswer, type HttpResult } from "./http-answer.js";

// The Idempotency-Key hook for the routes stacks/ marks: the first request with a key runs and
// its answer is kept; a retry with the same key and request gets that answer again, the same
// key with another request a 409. The command gets an operation id derived from the key, so
// what it writes (ledger entries, events) is the same on a retry after a crash.

const store = once((): IdempotencyStore => dynamoIdempotencyStore(doc(), tableName()));

const headerOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer, name: string) => {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
};

// An answer that depends on the moment (a conflict with the award's state, a lost race) is not
// kept: the retry runs again and may succeed. Validation and not-found answers are kept.
const kept = (status: number) => status < 500 && status !== 409 && status !== 429;

export const withIdempotencyKey = async (
  request: { event: APIGatewayProxyEventV2WithJWTAuthorizer; actor: Actor; body: unknown },
  run: (operationId: string | undefined) => Promise<HttpResult>,
): Promise<HttpResult> => {
  const { event, actor, body } = request;
  const route = routes.find((r) => `${r.method} ${r.path}` === event.routeKey);
  if (!route?.idempotencyKey) return run(undefined);
  const scope = {
    actorId: actor.userId,
    route: event.routeKey,
    key: idempotencyKey(headerOf(event, IDEMPOTENCY_HEADER)),
  };
  const fingerprint = requestFingerprint(event.pathParameters, body);
  const claim = await store().claim(scope, fingerprint, systemClock.now());
  if (claim.kind === "replay") return { ...claim.response, headers: { "idempotent-replayed": "true" } };
  if (claim.kind === "mismatch")
    throw conflict(
      `This ${IDEMPOTENCY_HEADER} was already used with another request (path or body); send a new key for a new operation`,
    );
  if (claim.kind === "in_progress")
    throw conflict(`A request with this ${IDEMPOTENCY_HEADER} is still in progress; retry it shortly`);

  let answer: HttpResult;
  try {
    answer = await run(operationIdOf(scope));
  } catch (error) {
    const client = clientAnswer(error);
    if (!client || !kept(client.status ?? 500)) {
      await store().release(scope, fingerprint);
      throw error;
    }
    answer = client;
  }
  if (kept(answer.status ?? 200))
    await store().complete(scope, fingerprint, { status: answer.status ?? 200, body: answer.body });
  else await store().release(scope, fingerprint);
  return answer;
};

/** The operation id of a request on a route that takes an Idempotency-Key. */
export const operationOf = (request: {
  operationId?: string;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}) => {
  if (!request.operationId)
    throw new Error(`${request.event.routeKey} needs idempotencyKey: "required" on its route in stacks/`);
  return request.operationId;
};
