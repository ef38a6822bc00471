import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { canonicalJson } from "@allot/core";
import { parseCsv } from "./csv.js";
import { usageError } from "./errors.js";

/** One decision of a bulk file, with where it came from (the CSV line, or the JSON item's number). */
export interface DecisionLine {
  line: number;
  proposalId: string;
  decision: Record<string, unknown>;
  idempotencyKey: string;
}

const COLUMNS = ["proposalId", "outcome", "rationale", "cashCents", "creditsCents"] as const;

/**
 * The key a decision is sent with: the same line gives the same key on every run, so running a
 * file again (after a crash, or to finish the failures) never records anything twice.
 */
export const decisionKey = (proposalId: string, decision: Record<string, unknown>) =>
  `allot-decision-${createHash("sha256")
    .update(canonicalJson([proposalId, decision]))
    .digest("hex")
    .slice(0, 40)}`;

const line = (at: number, record: Record<string, unknown>): DecisionLine => {
  const { proposalId, ...decision } = record;
  if (typeof proposalId !== "string" || proposalId === "")
    throw usageError(`line ${at}: proposalId is missing`);
  return { line: at, proposalId, decision, idempotencyKey: decisionKey(proposalId, decision) };
};

// Amounts are whole cents; anything else goes to the API as written, which names the problem.
const cell = (column: string, value: string): unknown =>
  column.endsWith("Cents") && /^\d+$/.test(value) ? Number(value) : value;

const fromCsv = (text: string): DecisionLine[] => {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.fields.map((f) => f.trim());
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  if (unknown.length || !names.includes("proposalId") || !names.includes("outcome"))
    throw usageError(
      `the CSV header must name the columns ${COLUMNS.join(",")} (proposalId and outcome at least)${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`,
    );
  return rows.map((row) => {
    if (row.fields.length !== names.length)
      throw usageError(`line ${row.line}: ${row.fields.length} fields where the header has ${names.length}`);
    const record: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const value = row.fields[i] ?? "";
      if (value !== "") record[name] = cell(name, value);
    });
    return line(row.line, record);
  });
};

const fromJson = (text: string): DecisionLine[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usageError(`the file is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw usageError("a JSON decisions file is an array of decisions");
  return parsed.map((item, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item))
      throw usageError(`item ${i + 1}: a decision is an object`);
    return line(i + 1, item as Record<string, unknown>);
  });
};

/** Decisions from a .csv (with a header line) or a .json file (an array of objects). */
export const readDecisions = (file: string): DecisionLine[] => {
  const kind = file.toLowerCase().match(/\.(csv|json)$/)?.[1];
  if (!kind) throw usageError(`${file}: the decisions file must end in .csv or .json`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return kind === "json" ? fromJson(text) : fromCsv(text);
};
