import "aws-local/polyfills";
import { dynamoLedgerRepository } from "@allot/adapters";
import { runLedgerCheck } from "@allot/core/award";
import { mainTable } from "@allot/stacks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { localClientConfig } from "aws-local";
import { configFromEnv } from "../config.js";
import { parseCommandLine } from "./args.js";

// Recomputes every balance of a program from its ledger entries, against the DynamoDB Local of
// `npm start`. Exit 0 when consistent, 1 with each difference, 2 on a usage error.
const usage = `usage:
  npm run ledger -- check [--program model-program]`;

const { positionals, values } = parseCommandLine(usage, {
  program: { type: "string", default: "model-program" },
});

const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const cents = (n: number) => dollars.format(n / 100).padStart(18);
const out = (line = "") => process.stdout.write(`${line}\n`);

if (positionals[0] !== "check" || positionals.length > 1) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}

const config = configFromEnv();
const client = new DynamoDBClient(localClientConfig(`http://${config.host}:${config.dynamoPort}`));
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
try {
  const programId = values.program ?? "model-program";
  const check = await runLedgerCheck(dynamoLedgerRepository(doc, mainTable.name), programId);
  if (!check.pools.length) {
    process.stderr.write(`the ledger of program ${programId} is not open (no pool balances)\n`);
    process.exitCode = 1;
  } else {
    out(`program ${programId}: ${check.entries} entries over ${check.awards} awards`);
    out(`${"pool".padEnd(36)}${"total".padStart(18)}${"committed".padStart(18)}${"available".padStart(18)}`);
    for (const p of check.pools) {
      out(`${p.pool.padEnd(36)}${cents(p.totalCents)}${cents(p.committedCents)}${cents(p.availableCents)}`);
    }
    if (check.partners.length) {
      out();
      out(
        `${"strategic partner (credits)".padEnd(36)}${"cap".padStart(18)}${"held".padStart(18)}${"remaining".padStart(18)}`,
      );
      for (const p of check.partners) {
        out(
          `${p.institution.trim().slice(0, 35).padEnd(36)}${cents(p.capCents)}${cents(p.heldCents)}${cents(p.remainingCents)}`,
        );
      }
    }
    out();
    if (check.differences.length === 0) {
      out("ledger consistent");
    } else {
      for (const d of check.differences) {
        out(
          `DIFFERENCE ${d.scope} ${d.subject} ${d.field}: expected ${d.expected}, recorded ${d.actual} (${d.message})`,
        );
      }
      out(`${check.differences.length} difference(s)`);
      process.exitCode = 1;
    }
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  client.destroy();
}
