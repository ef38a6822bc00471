// Key layout of EventBridge state in the runtime table (every pk starts with "EB#"):
//   archive     pk EB#ARCHIVE#<bus>#<yyyy-mm-dd>  sk <receivedAt ISO>#<eventId>  (one PutEvents call's
//               events, and their deliveries until each has its own item: archive-batch.ts)
//   delivery    pk EB#EVENT#<eventId>             sk DELIVERY#<rule>#<target>[#REPLAY#<name>]
//   dead letter pk EB#DLQ                         sk <ulid>
//   replay      pk EB#REPLAY                      sk <replay name>
//   schedule    pk EB#SCHEDULE                    sk <rule name>  (next period of a scheduled rule)
//   runtime rules, connections, API destinations: EB#RULE, EB#CONNECTION, EB#API-DESTINATION (runtime-store.ts)
//   due index   gsi1pk EB#DUE  gsi1sk <due ms, zero-padded>#<pk>|<sk>  (a delivery or an archive batch,
//               only while pending or running)
// One day per archive partition keeps a time-range replay to one query per day; the due index
// is sparse, so the sweep reads only work that is still owed.

export const DUE_PARTITION = "EB#DUE";
export const DLQ_PARTITION = "EB#DLQ";
export const SCHEDULE_PARTITION = "EB#SCHEDULE";

export interface ItemKey {
  pk: string;
  sk: string;
}

export const archiveDay = (receivedAt: number) => new Date(receivedAt).toISOString().slice(0, 10);

export const archivePk = (bus: string, day: string) => `EB#ARCHIVE#${bus}#${day}`;

export const archiveSk = (receivedAt: number, eventId: string) =>
  `${new Date(receivedAt).toISOString()}#${eventId}`;

export const deliveryKey = (
  eventId: string,
  rule: string,
  targetIndex: number,
  replayName?: string,
): ItemKey => ({
  pk: `EB#EVENT#${eventId}`,
  sk: `DELIVERY#${rule}#${targetIndex}${replayName ? `#REPLAY#${replayName}` : ""}`,
});

export const deliveryIdOf = (key: ItemKey) =>
  `${key.pk.slice("EB#EVENT#".length)}/${key.sk.slice("DELIVERY#".length)}`;

/** Epoch ms padded so that string order is time order until the year 5138. */
const padMs = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(14, "0");

export const dueSk = (dueAt: number, key: ItemKey) => `${padMs(dueAt)}#${key.pk}|${key.sk}`;

/** Every due-index key at or before `now` sorts below this bound. */
export const dueUpperBound = (now: number) => `${padMs(now)}#\uffff`;

export const keyOfDueSk = (sk: string): ItemKey | undefined => {
  const rest = sk.slice(sk.indexOf("#") + 1);
  const bar = rest.indexOf("|");
  if (bar < 0) return undefined;
  return { pk: rest.slice(0, bar), sk: rest.slice(bar + 1) };
};

export const keyId = (key: ItemKey) => `${key.pk}|${key.sk}`;
