import type { Context } from "aws-lambda";

/**
 * What a handler factory exports: Lambda calls it with a plain context; the fields our
 * middlewares add to it (actor, correlation id, logger…) are theirs to set, not the caller's.
 */
export type LambdaHandler<Event, Result> = (event: Event, context: Context) => Promise<Result>;
