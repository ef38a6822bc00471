import { isDeepStrictEqual } from "node:util";
import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import {
  conflict,
  DomainError,
  type FieldIssue,
  fieldIssuesOf,
  forbidden,
  notFound,
  validationError,
} from "../errors.js";
import { createEvent } from "../events/define.js";
import { ProgramCreated } from "./events.js";
import type { ProgramRecord, ProgramRepository } from "./ports.js";
import { Program } from "./schema.js";

export interface ProgramDeps {
  programs: ProgramRepository;
  clock: Clock;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const read = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), value);

const centsAt = (value: unknown, ...path: string[]): number | undefined => {
  const v = read(value, ...path);
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
};

// A cap above its pool could never be honoured; checked on the raw input, so these problems are
// reported together with the schema's rather than one round-trip later.
const capIssues = (input: unknown): FieldIssue[] => {
  const checks = [
    ["maxGrantCashCents", "cashCents", "the cash pool"],
    ["maxGrantCreditsCents", "creditsCents", "the credits pool"],
    ["maxPartnerCreditsCents", "creditsCents", "the credits pool"],
  ] as const;
  const issues: FieldIssue[] = [];
  for (const [cap, pool, name] of checks) {
    const capCents = centsAt(input, "caps", cap);
    const poolCents = centsAt(input, "pools", pool);
    if (capCents !== undefined && poolCents !== undefined && capCents > poolCents) {
      issues.push({
        field: `caps.${cap}`,
        message: `must not exceed ${name} (pools.${pool} = ${poolCents})`,
      });
    }
  }
  return issues;
};

/** The program the input describes, or one validation error naming every problem. */
export const parseProgram = (input: unknown): Program => {
  const parsed = Program.safeParse(input);
  const issues: FieldIssue[] = parsed.success ? [] : fieldIssuesOf(parsed.error);
  issues.push(...capIssues(input));
  if (!parsed.success || issues.length) throw validationError("The program is invalid", issues);
  return parsed.data;
};

const eventId = (programId: string, what: string) => `program:${programId}:${what}`;

// undefined-valued keys vanish in storage; compare what a round trip keeps.
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const definitionOf = (record: ProgramRecord): Program => {
  const { createdAt: _at, createdBy: _by, ...program } = record;
  return program;
};

const sameProgramOrConflict = (existing: ProgramRecord, program: Program): ProgramRecord => {
  if (isDeepStrictEqual(stored(definitionOf(existing)), stored(program))) return existing;
  throw conflict(`Program ${program.programId} already exists with different settings`);
};

/**
 * Staff create a program. Idempotent by programId: a retried identical create answers with the
 * stored program (created: false); a different one under the same id conflicts.
 */
export const createProgram = async (
  deps: ProgramDeps,
  actor: Actor,
  input: unknown,
): Promise<{ program: ProgramRecord; created: boolean }> => {
  if (actor.role !== "staff") throw forbidden("Only program staff create programs");
  const program = parseProgram(input);
  const existing = await deps.programs.get(program.programId);
  if (existing) return { program: sameProgramOrConflict(existing, program), created: false };

  const at = deps.clock.now().toISOString();
  const record: ProgramRecord = { ...program, createdAt: at, createdBy: actor.userId };
  try {
    await deps.programs.insert(record, [
      createEvent(ProgramCreated, eventId(program.programId, "created"), at, {
        programId: program.programId,
      }),
    ]);
  } catch (error) {
    // A concurrent identical create won the race: answer as the retry it is.
    if (error instanceof DomainError && error.kind === "conflict") {
      const winner = await deps.programs.get(program.programId);
      if (winner) return { program: sameProgramOrConflict(winner, program), created: false };
    }
    throw error;
  }
  return { program: record, created: true };
};

/** Any signed-in role may read a program: its pools and caps are what applicants plan against. */
export const getProgram = async (
  deps: ProgramDeps,
  _actor: Actor,
  programId: string,
): Promise<ProgramRecord> => {
  const program = await deps.programs.get(programId);
  if (!program) throw notFound(`Program ${programId}`);
  return program;
};

export const listPrograms = async (deps: ProgramDeps, actor: Actor): Promise<ProgramRecord[]> => {
  if (actor.role !== "staff") throw forbidden("Only program staff list programs");
  return deps.programs.list();
};
