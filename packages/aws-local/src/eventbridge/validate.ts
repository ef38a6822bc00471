import type { PutEventsRequestEntry } from "./types.js";

export const MAX_ENTRIES = 10;
/** AWS documents 256 KB for the entries of one call, measured as entrySize() adds them up. */
export const DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;

export interface EntryFailure {
  ErrorCode: string;
  ErrorMessage: string;
}

export interface ValidEntry {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  busName: string | undefined;
  /** Epoch ms of the entry's Time, when given. */
  time: number | undefined;
}

const nonEmptyString = (value: unknown): value is string => typeof value === "string" && value.length > 0;

const required = (name: string): EntryFailure => ({
  ErrorCode: "InvalidArgument",
  ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
});

const invalid = (name: string, reason: string): EntryFailure => ({
  ErrorCode: "InvalidArgument",
  ErrorMessage: `Parameter ${name} is not valid. Reason: ${reason}`,
});

/** Time over the wire is epoch seconds (JSON 1.1); in-process callers may pass a Date or an ISO string. */
const timeOf = (value: unknown): number | undefined | "invalid" => {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "invalid" : value.getTime();
  if (typeof value === "number") return Number.isFinite(value) ? Math.round(value * 1000) : "invalid";
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? "invalid" : parsed;
  }
  return "invalid";
};

/** The checks AWS makes on each entry alone; a failure fails that entry and not the call. */
export const validateEntry = (entry: PutEventsRequestEntry): ValidEntry | EntryFailure => {
  if (!nonEmptyString(entry.Source)) return required("Source");
  if (!nonEmptyString(entry.DetailType)) return required("DetailType");
  if (!nonEmptyString(entry.Detail)) return required("Detail");
  // Sources under "aws." are reserved for AWS services.
  if (entry.Source.startsWith("aws.")) {
    return { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  let resources: string[] = [];
  if (entry.Resources !== undefined && entry.Resources !== null) {
    if (!Array.isArray(entry.Resources) || !entry.Resources.every((r) => typeof r === "string")) {
      return invalid("Resources", "Resources must be a list of strings.");
    }
    resources = entry.Resources as string[];
  }
  if (
    entry.EventBusName !== undefined &&
    entry.EventBusName !== null &&
    typeof entry.EventBusName !== "string"
  ) {
    return invalid("EventBusName", "EventBusName must be a string.");
  }
  const time = timeOf(entry.Time);
  if (time === "invalid") return invalid("Time", "Time must be a timestamp.");
  return {
    source: entry.Source,
    detailType: entry.DetailType,
    detail: detail as Record<string, unknown>,
    resources,
    busName: (entry.EventBusName as string | undefined) || undefined,
    time,
  };
};

const utf8 = (value: unknown) => (typeof value === "string" ? Buffer.byteLength(value, "utf8") : 0);

/** The size AWS charges an entry: 14 bytes for a Time, then the UTF-8 bytes of the strings. */
export const entrySize = (entry: PutEventsRequestEntry) => {
  let size = entry.Time === undefined || entry.Time === null ? 0 : 14;
  size += utf8(entry.Source) + utf8(entry.DetailType) + utf8(entry.Detail);
  if (Array.isArray(entry.Resources)) for (const resource of entry.Resources) size += utf8(resource);
  return size;
};
