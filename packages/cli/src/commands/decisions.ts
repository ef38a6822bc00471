import { IDEMPOTENCY_HEADER } from "@allot/core/idempotency";
import { DecisionOutcome } from "@allot/core/proposal";
import { Command, InvalidArgumentError, Option } from "commander";
import { type ApiClient, ApiError } from "../api-client.js";
import { contextOf } from "../context.js";
import { type DecisionLine, decisionKey, readDecisions } from "../decisions-file.js";
import { EXIT } from "../errors.js";
import { printJson, processIo, table } from "../output.js";

const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number");
  return n;
};

interface Outcome {
  line: number;
  proposalId: string;
  outcome: unknown;
  ok: boolean;
  /** The proposal's status after the decision, or the API's answer when it failed. */
  status?: string;
  error?: string;
}

const record = async (api: ApiClient, line: Omit<DecisionLine, "line">) =>
  api.request<{ status: string }>("POST", `/proposals/${encodeURIComponent(line.proposalId)}/decision`, {
    body: line.decision,
    headers: { [IDEMPOTENCY_HEADER]: line.idempotencyKey },
  });

/** Runs `work` over the items, at most `limit` at once, in the items' order of start. */
const eachLimited = async <T>(items: T[], limit: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

export const decisionsCommand = (io = processIo) => {
  const decisions = new Command("decisions").description("The committee's decisions on proposals (staff)");
  decisions
    .command("record")
    .description("Record one decision (POST /proposals/{proposalId}/decision)")
    .requiredOption("--proposal <proposalId>", "the proposal, awaiting a decision")
    .addOption(
      new Option("--outcome <outcome>", "the decision")
        .choices(DecisionOutcome.options)
        .makeOptionMandatory(),
    )
    .requiredOption("--rationale <text>", "why (at least 10 characters; the record keeps it)")
    .option("--cash-cents <cents>", "approved cash (an approval names both amounts)", wholeNumber)
    .option("--credits-cents <cents>", "approved compute credits", wholeNumber)
    .action(
      async (
        options: {
          proposal: string;
          outcome: string;
          rationale: string;
          cashCents?: number;
          creditsCents?: number;
        },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const decision = {
          outcome: options.outcome,
          rationale: options.rationale,
          ...(options.cashCents === undefined ? {} : { cashCents: options.cashCents }),
          ...(options.creditsCents === undefined ? {} : { creditsCents: options.creditsCents }),
        };
        const proposal = await record(context.api(), {
          proposalId: options.proposal,
          decision,
          idempotencyKey: decisionKey(options.proposal, decision),
        });
        if (context.json) printJson(io, proposal);
        else io.out(`${options.proposal}: ${options.outcome} recorded, status ${proposal.status}\n`);
      },
    );
  decisions
    .command("apply")
    .description(
      "Record many decisions from a file, with progress on stderr; failures are listed at the end " +
        "with the API's message and the exit code is 1. Each line is sent with an Idempotency-Key " +
        "derived from its content, and the same decision again is answered as already recorded, " +
        "so running the file again (after an interruption, or once failures are fixed) is safe.",
    )
    .requiredOption(
      "--file <path>",
      "decisions.csv (header: proposalId,outcome,rationale,cashCents,creditsCents) or decisions.json (an array of such objects)",
    )
    .option("--concurrency <n>", "decisions in flight at once", wholeNumber, 4)
    .addHelpText(
      "after",
      '\nExample decisions.csv:\n  proposalId,outcome,rationale,cashCents,creditsCents\n  prp_…,approve,"Top ranked; clear open plan",9000000,20000000\n  prp_…,decline,Outside the call\'s scope,,',
    )
    .action(async (options: { file: string; concurrency: number }, command: Command) => {
      const context = contextOf(command, io);
      const lines = readDecisions(options.file);
      const api = context.api();
      const outcomes: Outcome[] = [];
      let done = 0;
      await eachLimited(lines, Math.max(1, options.concurrency), async (line) => {
        const base = { line: line.line, proposalId: line.proposalId, outcome: line.decision.outcome };
        let outcome: Outcome;
        try {
          const proposal = await record(api, line);
          outcome = { ...base, ok: true, status: proposal.status };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          outcome = { ...base, ok: false, error: error.message };
        }
        outcomes.push(outcome);
        done++;
        io.err(
          `[${done}/${lines.length}] line ${line.line} ${line.proposalId}: ${outcome.ok ? `${String(base.outcome)} recorded (${outcome.status})` : "failed"}\n`,
        );
      });
      outcomes.sort((a, b) => a.line - b.line);
      const failed = outcomes.filter((o) => !o.ok);
      io.err(`${lines.length - failed.length} of ${lines.length} decisions recorded`);
      if (failed.length) {
        io.err(`; ${failed.length} failed:\n`);
        for (const f of failed)
          io.err(`  line ${f.line} ${f.proposalId}: ${f.error?.replace(/\n/g, "\n    ")}\n`);
        io.setExitCode(EXIT.failure);
      } else io.err("\n");
      if (context.json) return printJson(io, outcomes);
      table(io, outcomes, [
        { header: "LINE", value: (o) => o.line, right: true },
        { header: "PROPOSAL", value: (o) => o.proposalId },
        { header: "OUTCOME", value: (o) => String(o.outcome ?? "") },
        { header: "RESULT", value: (o) => (o.ok ? `recorded (${o.status})` : "FAILED") },
      ]);
    });
  return decisions;
};
