import { describe, expect, it } from "vitest";
import { parsePath, renderTemplate, targetInput, valueAt } from "../src/eventbridge/input.js";
import type { EventEnvelope } from "../src/eventbridge/types.js";

const envelope: EventEnvelope = {
  version: "0",
  id: "e-1",
  "detail-type": "Thing Happened",
  source: "acme.things",
  account: "000000000000",
  time: "2026-01-31T12:00:00Z",
  region: "us-east-1",
  resources: [],
  detail: { name: 'say "hi"', count: 3, items: [{ id: "a" }, { id: "b" }] },
};
const context = { ruleArn: "arn:aws:events:us-east-1:000000000000:rule/b/r", ruleName: "r", receivedAt: 0 };

describe("input paths", () => {
  it("reads dot paths and array indices, and refuses what EventBridge refuses", () => {
    expect(valueAt(envelope, "$.detail.items[1].id")).toBe("b");
    expect(valueAt(envelope, "$")).toEqual(envelope);
    expect(valueAt(envelope, "$.detail.missing.deeper")).toBeUndefined();
    expect(parsePath("detail.name")).toBeUndefined();
    expect(parsePath("$..name")).toBeUndefined();
    expect(parsePath("$.detail['name']")).toBeUndefined();
  });
});

describe("input templates", () => {
  it("writes values as JSON outside quotes and as escaped text inside them", () => {
    const variables = new Map<string, unknown>([
      ["name", 'say "hi"'],
      ["count", 3],
      ["missing", undefined],
    ]);
    expect(renderTemplate('{"n": <name>, "c": <count>, "m": <missing>}', variables)).toBe(
      '{"n": "say \\"hi\\"", "c": 3, "m": null}',
    );
    expect(renderTemplate('"<name> counted <count> <missing>"', variables)).toBe('"say \\"hi\\" counted 3 "');
    expect(renderTemplate('{"a": "<unknown>", "b": "x \\" <count>"}', variables)).toBe(
      '{"a": "<unknown>", "b": "x \\" 3"}',
    );
  });

  it("provides the reserved variables, the whole event under <aws.events.event.json>", () => {
    const text = targetInput(
      {
        kind: "transformer",
        pathsMap: { count: "$.detail.count" },
        template:
          '{"subscriptionId":"sub_1","event":<aws.events.event.json>,"rule":<aws.events.rule-name>,"arn":"<aws.events.rule-arn>","at":<aws.events.event.ingestion-time>,"bare":<aws.events.event>,"count":<count>}',
      },
      envelope,
      context,
    );
    const { detail: _detail, ...withoutDetail } = envelope;
    expect(JSON.parse(text)).toEqual({
      subscriptionId: "sub_1",
      event: envelope,
      rule: "r",
      arn: context.ruleArn,
      at: "1970-01-01T00:00:00.000Z",
      bare: withoutDetail,
      count: 3,
    });
  });

  it("sends a constant Input as is and an InputPath's value as JSON", () => {
    expect(targetInput({ kind: "constant", json: '{"k":1}' }, envelope, context)).toBe('{"k":1}');
    expect(targetInput({ kind: "path", path: "$.detail.items[0]" }, envelope, context)).toBe('{"id":"a"}');
    expect(targetInput({ kind: "path", path: "$.detail.none" }, envelope, context)).toBe("null");
  });
});
