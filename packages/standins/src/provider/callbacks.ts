import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { NotifyProjectCreate } from "@allot/adapters/provider/protocol";
import { SIGNATURE_HEADER, signPayload } from "@allot/adapters/provider/signature";
import type { Logger } from "aws-local";
import type { ProjectItem, ProjectStore } from "./store.js";

export interface CallbackOptions {
  /** For one attempt, connection to last byte. */
  timeoutMs: number;
  /** How long an attempt is ours; past it, another instance may take the answer over. */
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Counted from when the answer became owed, across restarts: wall-clock time, not uptime. */
  giveUpAfterMs: number;
  /** Longest sleep between looks at the table, for answers another instance made owed. */
  idleMs: number;
  /** Answers attempted at once. */
  concurrency: number;
}

export const defaultCallbackOptions: CallbackOptions = {
  timeoutMs: 5_000,
  leaseMs: 15_000,
  retryBaseMs: 500,
  retryMaxMs: 60_000,
  giveUpAfterMs: 60 * 60_000,
  idleMs: 2_000,
  concurrency: 8,
};

/** Exponential, with half of it random so that a receiver coming back is not hit all at once. */
export const callbackDelay = (
  attempts: number,
  options: Pick<CallbackOptions, "retryBaseMs" | "retryMaxMs">,
) => {
  const ceiling = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
};

const failureOf = (error: unknown, aborted: boolean, timeoutMs: number) => {
  if (aborted) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? String((error as Error | null)?.message ?? error);
};

export interface CallbackDispatcher {
  /** An answer became owed: look now rather than at the next poll. */
  kick(): void;
  /** Stops sending; an attempt under way is cut short and left owed. */
  stop(): Promise<void>;
}

/**
 * Sends notify_project_create for every owed answer in the table, whichever instance made it
 * owed: a restarted stand-in finishes what a killed one left, the killed one's attempts once
 * their lease has run out.
 */
export const startCallbackDispatcher = (params: {
  store: ProjectStore;
  secret: string;
  logger: Logger;
  options: CallbackOptions;
  fetch?: typeof fetch;
}): CallbackDispatcher => {
  const { store, logger, options } = params;
  const send = params.fetch ?? globalThis.fetch;
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const attempts = new Set<AbortController>();
  let stopped = false;
  let kicked = false;
  let wake: (() => void) | undefined;

  const deliver = async (item: ProjectItem): Promise<void> => {
    const { awardId } = item;
    const now = Date.now();
    if (item.state === "inactive" || !item.projectId || !item.access || !item.cbUrl) {
      await store.abandon(awardId, owner, "cancelled");
      return;
    }
    const notice: NotifyProjectCreate = {
      type: "notify_project_create",
      awardId,
      projectId: item.projectId,
      access: item.access,
      sentAt: new Date(now).toISOString(),
    };
    const body = JSON.stringify(notice);
    const controller = new AbortController();
    attempts.add(controller);
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let failure: string | undefined;
    try {
      const response = await send(item.cbUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signPayload(params.secret, body, now / 1000),
        },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 200 || response.status >= 300) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = failureOf(error, controller.signal.aborted, options.timeoutMs);
    } finally {
      clearTimeout(timer);
      attempts.delete(controller);
    }

    const attempt = item.cbAttempts ?? 1;
    if (failure === undefined) {
      await store.delivered(awardId, owner, Date.now());
      logger.info("answer delivered", { awardId, attempt });
      return;
    }
    if (Date.now() - (item.cbFirstAt ?? now) >= options.giveUpAfterMs) {
      await store.abandon(awardId, owner, "expired", failure);
      logger.warn("answer given up on; a repeated request owes it again", { awardId, attempt, failure });
      return;
    }
    const dueAt = Date.now() + callbackDelay(attempt, options);
    await store.retryLater(awardId, owner, dueAt, failure);
    logger.debug("answer not delivered, will retry", { awardId, attempt, failure, inMs: dueAt - Date.now() });
  };

  const attemptOne = async (awardId: string): Promise<boolean> => {
    const item = await store.claim(awardId, owner, Date.now(), options.leaseMs);
    if (item) await deliver(item);
    return item !== undefined;
  };

  const pass = async (): Promise<boolean> => {
    const due = await store.due(Date.now(), options.concurrency);
    const results = await Promise.allSettled(due.map(attemptOne));
    for (const result of results) {
      if (result.status === "rejected")
        logger.warn("answer attempt failed", { error: String(result.reason) });
    }
    // Only a full page of which something was ours says more may be waiting; a page of answers
    // all taken by others must not turn into a busy loop.
    return due.length === options.concurrency && results.some((r) => r.status === "fulfilled" && r.value);
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    while (!stopped) {
      kicked = false;
      let full = false;
      try {
        full = await pass();
      } catch (error) {
        logger.warn("could not look for owed answers", { error: String(error) });
      }
      if (stopped) break;
      if (full || kicked) continue;
      let delay = options.idleMs;
      try {
        const next = await store.earliestDue();
        if (next !== undefined) delay = Math.max(0, Math.min(options.idleMs, next - Date.now()));
      } catch {
        // The table is unreachable for now; the idle interval is as good a time as any to retry.
      }
      if (stopped || kicked) continue;
      await sleep(delay);
    }
  })();

  return {
    kick() {
      kicked = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      for (const controller of attempts) controller.abort();
      wake?.();
      await loop;
    },
  };
};
