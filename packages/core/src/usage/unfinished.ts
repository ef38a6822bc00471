/**
 * The batch could not all be stored within the time the caller allowed (a loaded store). What
 * was stored stays, each record once; the same batch sent again stores the rest and gets the
 * whole answer. Not a domain refusal: the HTTP API answers 503, the bus delivery is retried.
 */
export class UsageBatchUnfinished extends Error {
  constructor(
    readonly stored: number,
    readonly pending: number,
  ) {
    super(
      `${stored} of ${stored + pending} distinct records were stored before the time ran out; ` +
        "send the same batch again (safe: stored records are never stored twice) for the full answer",
    );
    this.name = "UsageBatchUnfinished";
  }
}
