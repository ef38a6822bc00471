import { retentionExpiry } from "./archive.js";
import type { Bus } from "./bus.js";
import { archiveDay, archivePk, archiveSk, DUE_PARTITION, dueSk, type ItemKey } from "./keys.js";
import type { DeliveryRecord, DeliveryStatus } from "./types.js";

// One item per PutEvents call and bus is both the archive of the call's events and, until each
// of their deliveries has an item of its own, the durable promise of those deliveries: while
// any is owed it sits in the due index like a delivery, leased like one. So the common path
// writes about one item per event (its delivered record) plus two per call (this item, then its
// release), instead of three per event. A delivery gets its own item only when it succeeds, or
// as soon as anything else happens to it (a failure, a lease in doubt); a process that dies
// leaves the batch's lease to run out, and whoever claims the batch then runs the deliveries
// that have no item yet (at least once). When every delivery of a batch succeeds within the
// dispatcher's settle window (the usual case), even the delivered records are saved: their
// outcomes go into the batch's release, one write for the whole call (`delivered`).

export const ARCHIVE_BATCH = "eb-archive-batch";

/** Kept well under DynamoDB's 400 KB per item, with room for attribute names and numbers. */
const MAX_BATCH_CHARS = 300_000;

export interface ArchiveBatchItem extends ItemKey {
  kind: typeof ARCHIVE_BATCH;
  bus: string;
  receivedAt: number;
  /** The envelopes as JSON text, verbatim: a replay sends the bytes that were received. */
  events: string[];
  expiresAt?: number;
  /** The deliveries owed, as JSON text of DeliveryRecord[] without their `event`; removed on release. */
  deliveries?: string;
  /**
   * Set on release: the delivered records (without their `event`) of the deliveries that
   * succeeded before any of them got an item of its own, as JSON text.
   */
  delivered?: string;
  status?: DeliveryStatus;
  attempts?: number;
  dueAt?: number;
  leaseOwner?: string;
  leaseUntil?: number;
  gsi1pk?: string;
  gsi1sk?: string;
}

export const isArchiveBatch = (item: { kind?: string }): item is ArchiveBatchItem =>
  item.kind === ARCHIVE_BATCH;

export interface ArchivedCall {
  /** The event id, its envelope as JSON text, and its deliveries. */
  events: Array<{ eventId: string; event: string; deliveries: DeliveryRecord[] }>;
}

/**
 * The items that archive one call's accepted events on one bus and hold their deliveries,
 * split so that each stays far below DynamoDB's item size limit.
 */
export const archiveBatchItems = (
  bus: Bus,
  call: ArchivedCall,
  receivedAt: number,
): Array<{ item: ArchiveBatchItem; members: DeliveryRecord[] }> => {
  const items: Array<{ item: ArchiveBatchItem; members: DeliveryRecord[] }> = [];
  let group: PreparedEvent[] = [];
  let chars = 0;
  const close = () => {
    if (group.length > 0) {
      items.push({ item: batchItem(bus, group, receivedAt), members: group.flatMap((e) => e.deliveries) });
    }
    group = [];
    chars = 0;
  };
  for (const event of call.events) {
    // The event is stored once; its deliveries without it.
    const deliveriesText = event.deliveries
      .map(({ event: _event, ...rest }) => JSON.stringify(rest))
      .join(",");
    const size = event.event.length + deliveriesText.length + 100;
    if (chars + size > MAX_BATCH_CHARS) close();
    group.push({ ...event, deliveriesText });
    chars += size;
  }
  close();
  return items;
};

type PreparedEvent = ArchivedCall["events"][number] & { deliveriesText: string };

// The archive is keyed by the time the bus received the event, not by the entry's Time,
// which the sender chooses and may lie anywhere: a replay of "what arrived between A and B".
const batchItem = (bus: Bus, events: PreparedEvent[], receivedAt: number): ArchiveBatchItem => {
  const first = events[0]?.eventId ?? "";
  const expiresAt = retentionExpiry(bus.archiveRetentionDays, receivedAt);
  const item: ArchiveBatchItem = {
    pk: archivePk(bus.name, archiveDay(receivedAt)),
    sk: archiveSk(receivedAt, first),
    kind: ARCHIVE_BATCH,
    bus: bus.name,
    receivedAt,
    events: events.map((e) => e.event),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
  const deliveries = events.map((e) => e.deliveriesText).filter((text) => text.length > 0);
  if (deliveries.length === 0) return item;
  return {
    ...item,
    deliveries: `[${deliveries.join(",")}]`,
    status: "pending",
    attempts: 0,
    dueAt: receivedAt,
    gsi1pk: DUE_PARTITION,
    gsi1sk: dueSk(receivedAt, item),
  };
};

/**
 * A batch none of whose deliveries is owed any more: only the archive of its events, and the
 * records of the deliveries that succeeded without an item of their own.
 */
export const releasedBatch = (
  batch: ArchiveBatchItem,
  delivered: DeliveryRecord[] = [],
): ArchiveBatchItem => {
  const {
    deliveries: _deliveries,
    status: _status,
    attempts: _attempts,
    dueAt: _dueAt,
    leaseOwner: _owner,
    leaseUntil: _until,
    gsi1pk: _pk,
    gsi1sk: _sk,
    delivered: _delivered,
    ...archive
  } = batch;
  if (delivered.length === 0) return archive;
  return { ...archive, delivered: JSON.stringify(delivered.map(({ event: _event, ...record }) => record)) };
};

/** The delivered records a released batch holds for one event, whole again. */
export const deliveredInBatch = (batch: ArchiveBatchItem, eventId: string): DeliveryRecord[] => {
  if (!batch.delivered) return [];
  const records = JSON.parse(batch.delivered) as Array<Omit<DeliveryRecord, "event">>;
  const event = batch.events.find((text) => (JSON.parse(text) as { id: string }).id === eventId) ?? "";
  return records.filter((record) => record.eventId === eventId).map((record) => ({ ...record, event }));
};

/**
 * The deliveries a batch still promises, each under the batch's lease (their own due-index
 * key included, for when one is given an item of its own).
 */
export const batchMembers = (batch: ArchiveBatchItem): DeliveryRecord[] => {
  if (!batch.deliveries) return [];
  const events = new Map<string, string>();
  for (const text of batch.events) events.set((JSON.parse(text) as { id: string }).id, text);
  const members = JSON.parse(batch.deliveries) as Array<Omit<DeliveryRecord, "event">>;
  return members.map((member) => leasedLike({ ...member, event: events.get(member.eventId) ?? "" }, batch));
};

/** The delivery under the lease its batch holds. */
export const leasedLike = (member: DeliveryRecord, batch: ArchiveBatchItem): DeliveryRecord => {
  const leased = batch.status === "running" && batch.leaseOwner !== undefined;
  if (!leased)
    return { ...member, status: "pending", gsi1pk: DUE_PARTITION, gsi1sk: dueSk(member.dueAt, member) };
  return {
    ...member,
    status: "running",
    leaseOwner: batch.leaseOwner,
    leaseUntil: batch.leaseUntil,
    gsi1pk: DUE_PARTITION,
    gsi1sk: dueSk(batch.leaseUntil ?? member.dueAt, member),
  };
};
