import type { EventEnvelope } from "./types.js";

/** What a target receives instead of the whole event (PutTargets' Input, InputPath or InputTransformer). */
export type TargetInput =
  | { kind: "constant"; json: string }
  | { kind: "path"; path: string }
  | { kind: "transformer"; pathsMap: Record<string, string>; template: string };

export interface InputContext {
  ruleArn: string;
  ruleName: string;
  /** When the bus received the event, epoch ms. */
  receivedAt: number;
}

// The JSONPath subset EventBridge evaluates: `$`, dot notation with letters, digits, dashes,
// underscores (and `/`), and array indices: `$.detail.items[0].id`.
const segmentPattern = /^([A-Za-z0-9_\-/]+)((?:\[\d+\])*)$/;

/** The path's segments (names and indices), or undefined when EventBridge would refuse it. */
export const parsePath = (path: string): Array<string | number> | undefined => {
  if (path === "$") return [];
  if (!path.startsWith("$.")) return undefined;
  const segments: Array<string | number> = [];
  for (const part of path.slice(2).split(".")) {
    const match = segmentPattern.exec(part);
    if (!match) return undefined;
    segments.push(match[1] as string);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
};

export const valueAt = (root: unknown, path: string): unknown => {
  let value: unknown = root;
  for (const segment of parsePath(path) ?? []) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
};

export const RESERVED_VARIABLES = [
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event.ingestion-time",
  "aws.events.event",
  "aws.events.event.json",
] as const;

const placeholder = /<([A-Za-z0-9_.-]+)>/y;

/**
 * The InputTemplate with its placeholders replaced, as EventBridge does it: inside a JSON
 * string a value is written as text (a string without its quotes, anything else as its JSON,
 * escaped for the string); elsewhere as JSON, so a string gets its quotes. A path that finds
 * nothing gives null (an empty string inside quotes). Other `<...>` text is left as it is.
 */
export const renderTemplate = (template: string, variables: Map<string, unknown>): string => {
  let out = "";
  let inString = false;
  for (let i = 0; i < template.length; ) {
    const char = template[i] as string;
    if (char === "\\" && inString) {
      out += template.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (char === '"') {
      inString = !inString;
      out += char;
      i++;
      continue;
    }
    if (char === "<") {
      placeholder.lastIndex = i;
      const match = placeholder.exec(template);
      const name = match?.[1];
      if (match && name !== undefined && variables.has(name)) {
        const value = variables.get(name);
        if (inString) {
          const text = typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
          out += JSON.stringify(text).slice(1, -1);
        } else {
          out += value === undefined ? "null" : JSON.stringify(value);
        }
        i += match[0].length;
        continue;
      }
    }
    out += char;
    i++;
  }
  return out;
};

/** The text a target receives for this event. */
export const targetInput = (input: TargetInput, envelope: EventEnvelope, context: InputContext): string => {
  switch (input.kind) {
    case "constant":
      return input.json;
    case "path":
      return JSON.stringify(valueAt(envelope, input.path) ?? null);
    case "transformer": {
      const { detail: _detail, ...withoutDetail } = envelope;
      const variables = new Map<string, unknown>([
        ["aws.events.rule-arn", context.ruleArn],
        ["aws.events.rule-name", context.ruleName],
        ["aws.events.event.ingestion-time", new Date(context.receivedAt).toISOString()],
        ["aws.events.event", withoutDetail],
        ["aws.events.event.json", envelope],
      ]);
      for (const [name, path] of Object.entries(input.pathsMap)) variables.set(name, valueAt(envelope, path));
      return renderTemplate(input.template, variables);
    }
  }
};
