import { describe, expect, it } from "vitest";
import { parseScheduleExpression } from "../src/eventbridge/schedule-expression.js";

// EventBridge's ScheduleExpression, checked against dates worked out by hand (UTC).

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const nexts = (expression: string, fromIso: string, count: number) => {
  const schedule = parseScheduleExpression(expression);
  const out: Array<string | undefined> = [];
  let after = at(fromIso);
  for (let i = 0; i < count; i++) {
    const next = schedule.nextAfter(after, at(fromIso));
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
};

describe("rate expressions", () => {
  it("count whole periods from the anchor, strictly after the given time", () => {
    const schedule = parseScheduleExpression("rate(6 hours)");
    const anchor = at("2026-01-01T10:17:00Z");
    expect(iso(schedule.nextAfter(anchor, anchor))).toBe("2026-01-01T16:17:00.000Z");
    expect(iso(schedule.nextAfter(at("2026-01-01T16:17:00Z"), anchor))).toBe("2026-01-01T22:17:00.000Z");
    // Many periods missed: the next one after the time given, on the anchor's grid.
    expect(iso(schedule.nextAfter(at("2026-01-03T00:00:00Z"), anchor))).toBe("2026-01-03T04:17:00.000Z");
    expect(nexts("rate(1 minute)", "2026-01-01T00:00:30Z", 2)).toEqual([
      "2026-01-01T00:01:30.000Z",
      "2026-01-01T00:02:30.000Z",
    ]);
    expect(nexts("rate(2 days)", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-03T00:00:00.000Z"]);
  });

  it.each([
    ["rate(1 minutes)", "singular"],
    ["rate(5 minute)", "plural"],
    ["rate(0 minutes)", "positive"],
    ["rate(5 weeks)", "rate(value unit)"],
    ["rate(-1 day)", "rate(value unit)"],
    ["every day", "rate(...) or cron(...)"],
  ])("refuse %s", (expression, reason) => {
    expect(() => parseScheduleExpression(expression)).toThrow(reason);
  });
});

describe("cron expressions (6 fields, UTC)", () => {
  it("fire daily at a fixed time", () => {
    expect(nexts("cron(0 3 * * ? *)", "2026-01-01T02:59:59Z", 2)).toEqual([
      "2026-01-01T03:00:00.000Z",
      "2026-01-02T03:00:00.000Z",
    ]);
    // Exactly on a firing time: the next is the following one.
    expect(nexts("cron(0 3 * * ? *)", "2026-01-01T03:00:00Z", 1)).toEqual(["2026-01-02T03:00:00.000Z"]);
  });

  it("take lists, ranges, steps and names", () => {
    expect(nexts("cron(0/15 9-10 * * ? *)", "2026-01-01T10:40:00Z", 3)).toEqual([
      "2026-01-01T10:45:00.000Z",
      "2026-01-02T09:00:00.000Z",
      "2026-01-02T09:15:00.000Z",
    ]);
    // 2026-01-02 is a Friday: MON-FRI skips the weekend.
    expect(nexts("cron(30 8 ? * MON-FRI *)", "2026-01-02T09:00:00Z", 2)).toEqual([
      "2026-01-05T08:30:00.000Z",
      "2026-01-06T08:30:00.000Z",
    ]);
    expect(nexts("cron(0 0 1,15 JAN,JUL ? *)", "2026-01-15T00:00:00Z", 2)).toEqual([
      "2026-07-01T00:00:00.000Z",
      "2026-07-15T00:00:00.000Z",
    ]);
    // Day of week 1 is Sunday.
    expect(nexts("cron(0 12 ? * 1 *)", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-04T12:00:00.000Z"]);
  });

  it("take L, W and # in the day fields", () => {
    expect(nexts("cron(0 0 L * ? *)", "2026-01-31T00:00:00Z", 2)).toEqual([
      "2026-02-28T00:00:00.000Z",
      "2026-03-31T00:00:00.000Z",
    ]);
    // The second Tuesday (3#2) of January 2026 is the 13th; the last Friday (6L) is the 30th.
    expect(nexts("cron(0 9 ? * 3#2 *)", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-13T09:00:00.000Z"]);
    expect(nexts("cron(0 9 ? * 6L *)", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-30T09:00:00.000Z"]);
    // 2026-02-15 is a Sunday: 15W is Monday the 16th; 2026-05-31 is a Sunday: LW is Friday the 29th.
    expect(nexts("cron(0 0 15W 2 ? 2026)", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-02-16T00:00:00.000Z"]);
    expect(nexts("cron(0 0 LW 5 ? 2026)", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-05-29T00:00:00.000Z"]);
  });

  it("stop when the years run out", () => {
    expect(nexts("cron(0 0 1 1 ? 2026-2027)", "2026-06-01T00:00:00Z", 2)).toEqual([
      "2027-01-01T00:00:00.000Z",
      undefined,
    ]);
  });

  it.each([
    ["cron(0 3 * * *)", "6 fields"],
    ["cron(0 3 * * * *)", 'exactly one of day-of-month and day-of-week must be "?"'],
    ["cron(0 3 ? * ? *)", 'exactly one of day-of-month and day-of-week must be "?"'],
    ["cron(60 3 * * ? *)", 'minutes "60" is not within 0-59'],
    ["cron(0 3 * FOO ? *)", 'month "FOO"'],
    ["cron(0 5-3 * * ? *)", "runs backwards"],
    ["cron(0/0 3 * * ? *)", "step"],
  ])("refuse %s", (expression, reason) => {
    expect(() => parseScheduleExpression(expression)).toThrow(reason);
  });
});
