import { randomUUID } from "node:crypto";
import type {
  ModifyProject,
  ProjectAck,
  ProjectView,
  RequestAccepted,
} from "@allot/adapters/provider/protocol";
import type { ProjectRequest } from "@allot/core/award";
import type { Logger } from "aws-local";
import { armedCallback, newProjectItem, type ProjectItem, type ProjectStore } from "./store.js";

export class AmieError extends Error {
  constructor(
    readonly status: number,
    readonly code: "invalid" | "not_found" | "conflict" | "rejected" | "unavailable",
    readonly reason: string,
  ) {
    super(reason);
  }
}

// Optimistic writes lose only to a concurrent write to the same award; a handful of re-reads
// settles any realistic contention, and beyond that the caller is told to come back (503).
const MAX_ATTEMPTS = 8;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const accessFor = (request: ProjectRequest, projectId: string) => ({
  loginHost: "login.cluster.allot.local",
  account: `a${projectId.slice(2, 10)}`,
  instructions: `ssh ${request.grantee.userId}@login.cluster.allot.local, then \`sbatch --account=a${projectId.slice(2, 10)}\`; the allocation runs ${request.startsAt} to ${request.endsAt}.`,
});

export const toView = (item: ProjectItem): ProjectView | undefined => {
  if (!item.projectId || !item.transactionId || !item.request || !item.access || item.createdAt === undefined)
    return undefined;
  return {
    awardId: item.awardId,
    projectId: item.projectId,
    state: item.state,
    transaction: {
      id: item.transactionId,
      state:
        item.completedAt !== undefined ? "complete" : item.notifiedAt !== undefined ? "notified" : "accepted",
    },
    request: item.request,
    access: item.access,
    createdAt: new Date(item.createdAt).toISOString(),
    completedAt: iso(item.completedAt),
    suspendedAt: iso(item.suspendedAt),
    modifiedAt: iso(item.modifiedAt),
    inactivatedAt: iso(item.inactivatedAt),
    inactiveReason: item.inactiveReason,
    callback: {
      status: item.cbStatus ?? "cancelled",
      url: item.cbUrl ?? item.request.callbackUrl,
      attempts: item.cbAttempts ?? 0,
      dueAt: item.cbStatus === "pending" ? iso(item.cbDueAt) : undefined,
      deliveredAt: iso(item.cbDeliveredAt),
      lastError: item.cbLastError,
    },
  };
};

const ack = (item: ProjectItem): ProjectAck => ({ awardId: item.awardId, state: item.state });

/** What the provider does with each AMIE message; durable, idempotent by award id. */
export class StandInService {
  constructor(
    private readonly store: ProjectStore,
    private readonly options: {
      logger: Logger;
      /** Delay before a newly owed answer is first sent. */
      callbackLatencyMs: () => number;
      /** Called whenever an answer becomes owed, so that it goes out without waiting for a poll. */
      answerOwed: () => void;
    },
  ) {}

  /**
   * request_project_create. `receivedAt` is when the request reached the provider, before any
   * latency: what decides whether it came before or after an inactivation of the same award.
   */
  async requestProject(request: ProjectRequest, receivedAt: number): Promise<RequestAccepted> {
    const { awardId } = request;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = Date.now();
      const dueAt = now + this.options.callbackLatencyMs();
      const item = await this.store.get(awardId);

      if (item?.inactivatedAt !== undefined && item.inactivatedAt >= receivedAt) {
        throw new AmieError(
          409,
          "conflict",
          `the request for award ${awardId} reached the provider before the award's project was inactivated (${item.inactiveReason ?? "no reason given"}); send it again to provision anew`,
        );
      }

      if (!item?.projectId) {
        const projectId = `p-${randomUUID().replaceAll("-", "").slice(0, 16)}`;
        const created = newProjectItem({
          request,
          projectId,
          transactionId: randomUUID(),
          access: accessFor(request, projectId),
          now,
          callbackDueAt: dueAt,
        });
        if (await this.store.create(created, receivedAt)) {
          this.options.logger.info("project created", { awardId, projectId });
          this.options.answerOwed();
          return { transactionId: created.transactionId as string, state: "accepted" };
        }
        continue;
      }

      if (item.state === "inactive") {
        const transactionId = randomUUID();
        const reactivated = await this.store.update(awardId, item.version, {
          set: {
            state: "provisioned",
            transactionId,
            request,
            access: accessFor(request, item.projectId),
            ...armedCallback(awardId, request.callbackUrl, dueAt, now),
          },
          remove: [
            "inactivatedAt",
            "inactiveReason",
            "completedAt",
            "notifiedAt",
            "suspendedAt",
            "modifiedAt",
            "cbLastError",
            "cbDeliveredAt",
            "leaseOwner",
            "leaseUntil",
          ],
        });
        if (reactivated) {
          this.options.logger.info("project reactivated by a new request", { awardId });
          this.options.answerOwed();
          return { transactionId, state: "accepted" };
        }
        continue;
      }

      // The project exists: the caller lost our answer or never saw our 202. Owing the answer
      // again is the whole of idempotency here; an attempt under way already carries it.
      if (await this.store.rearm(awardId, request.callbackUrl, dueAt, now)) this.options.answerOwed();
      this.options.logger.debug("duplicate request, answer owed again", { awardId });
      return { transactionId: item.transactionId as string, state: "accepted" };
    }
    throw new AmieError(503, "unavailable", `too much contention on award ${awardId}; try again`);
  }

  /** inform_transaction_complete: Allot has recorded the answer. */
  async completeTransaction(awardId: string): Promise<ProjectAck> {
    return this.mutate(awardId, "inform_transaction_complete", (item) => {
      if (item.completedAt !== undefined) return undefined;
      return {
        set: { completedAt: Date.now(), ...(item.state === "provisioned" ? { state: "complete" } : {}) },
      };
    });
  }

  /**
   * request_project_inactivate: idempotent, and for a missing project leaves a tombstone. A
   * reversible one (used-up credits) needs the project and leaves it to be reactivated; one for
   * good (deprovision) also makes a reversible inactivation final.
   */
  async inactivate(
    awardId: string,
    reason: string,
    receivedAt: number,
    reversible = false,
  ): Promise<ProjectAck> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const item = await this.store.get(awardId);
      if (!item && reversible) throw new AmieError(404, "not_found", `award ${awardId} has no project`);
      if (item?.state === "inactive" && item.inactiveReversible && !reversible) {
        if (
          await this.store.update(awardId, item.version, {
            set: { inactiveReason: reason },
            remove: ["inactiveReversible"],
          })
        ) {
          this.options.logger.info("project inactivated for good", { awardId, reason });
          return { awardId, state: "inactive" };
        }
        continue;
      }
      if (!item) {
        if (await this.store.createTombstone(awardId, reason, receivedAt)) {
          this.options.logger.info("inactivated an award without a project", { awardId, reason });
          return { awardId, state: "inactive" };
        }
        continue;
      }
      if (item.state === "inactive") return ack(item);
      const cancelAnswer = item.cbStatus === "pending";
      const done = await this.store.update(
        awardId,
        item.version,
        {
          set: {
            state: "inactive",
            inactivatedAt: receivedAt,
            inactiveReason: reason,
            ...(reversible ? { inactiveReversible: true } : {}),
            ...(cancelAnswer ? { cbStatus: "cancelled" } : {}),
          },
          remove: cancelAnswer ? ["gsi1pk", "gsi1sk"] : [],
        },
        item.cbStatus,
      );
      if (done) {
        this.options.logger.info("project inactivated", { awardId, reason });
        return { awardId, state: "inactive" };
      }
    }
    throw new AmieError(503, "unavailable", `too much contention on award ${awardId}; try again`);
  }

  async suspend(awardId: string): Promise<ProjectAck> {
    return this.mutate(awardId, "request_project_suspend", (item) =>
      item.state === "suspended" ? undefined : { set: { state: "suspended", suspendedAt: Date.now() } },
    );
  }

  async reactivate(awardId: string): Promise<ProjectAck> {
    return this.mutate(awardId, "request_project_reactivate", (item) =>
      item.state !== "suspended"
        ? undefined
        : {
            set: { state: item.completedAt !== undefined ? "complete" : "provisioned" },
            remove: ["suspendedAt"],
          },
    );
  }

  /**
   * request_project_reactivate lifting a reversible inactivation: the project returns to where
   * it stood (suspended if staff suspended it meanwhile). Idempotent: a running project is acked.
   */
  async reactivateInactive(awardId: string): Promise<ProjectAck> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const item = await this.store.get(awardId);
      if (!item?.projectId) throw new AmieError(404, "not_found", `award ${awardId} has no project`);
      if (item.state !== "inactive") return ack(item);
      if (!item.inactiveReversible) {
        throw new AmieError(
          409,
          "conflict",
          `request_project_reactivate: the project of award ${awardId} is inactive for good (${item.inactiveReason ?? "no reason given"})`,
        );
      }
      const state: ProjectAck["state"] =
        item.suspendedAt !== undefined
          ? "suspended"
          : item.completedAt !== undefined
            ? "complete"
            : "provisioned";
      if (
        await this.store.update(awardId, item.version, {
          set: { state },
          remove: ["inactivatedAt", "inactiveReason", "inactiveReversible"],
        })
      ) {
        this.options.logger.info("project reactivated", { awardId, state });
        return { awardId, state };
      }
    }
    throw new AmieError(503, "unavailable", `too much contention on award ${awardId}; try again`);
  }

  /** modify_project: the allocation and end a supplement or an extension set, as totals. */
  async modify(modification: ModifyProject): Promise<ProjectAck> {
    const { awardId, ...allocation } = modification;
    return this.mutate(awardId, "modify_project", (item) => {
      const request = item.request as ProjectRequest;
      const same =
        request.creditsCents === allocation.creditsCents &&
        request.chipHours === allocation.chipHours &&
        request.endsAt === allocation.endsAt;
      return same ? undefined : { set: { request: { ...request, ...allocation }, modifiedAt: Date.now() } };
    });
  }

  async project(awardId: string): Promise<ProjectView | undefined> {
    const item = await this.store.get(awardId);
    return item ? toView(item) : undefined;
  }

  async projects(): Promise<ProjectView[]> {
    return (await this.store.list()).flatMap((item) => toView(item) ?? []);
  }

  /** Applies `change` to a live project (undefined: nothing to do), re-reading on contention. */
  private async mutate(
    awardId: string,
    operation: string,
    change: (item: ProjectItem) => { set?: Record<string, unknown>; remove?: string[] } | undefined,
  ): Promise<ProjectAck> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const item = await this.store.get(awardId);
      if (!item?.projectId) throw new AmieError(404, "not_found", `award ${awardId} has no project`);
      if (item.state === "inactive") {
        throw new AmieError(
          409,
          "conflict",
          `${operation}: the project of award ${awardId} is inactive (${item.inactiveReason ?? "no reason given"})`,
        );
      }
      const next = change(item);
      if (!next) return ack(item);
      if (await this.store.update(awardId, item.version, next)) {
        const state = (next.set?.state as ProjectAck["state"] | undefined) ?? item.state;
        this.options.logger.info(operation, { awardId, state });
        return { awardId, state };
      }
    }
    throw new AmieError(503, "unavailable", `too much contention on award ${awardId}; try again`);
  }
}
