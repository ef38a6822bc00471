// DynamoDB write request units per distinct usage record on AWS on-demand, from the design. The
// writes happen in the runtime's process, so they cannot be counted here (write-counter.ts wraps
// a client of this process); the adapter's own test checks `usageWriteUnits` against what its
// transactions write, and this prints that formula with its inputs.
import { RECORDS_PER_TRANSACTION, usageWriteUnits } from "@allot/adapters";
import { num } from "./stats.js";

/** US East (N. Virginia), on-demand, per million write request units. */
export const USD_PER_MILLION_WRU = 0.625;

/** What a transaction holds in the common case: a full chunk, one charge day, one usage day. */
export const WRITE_UNIT_INPUTS = { recordsPerTransaction: RECORDS_PER_TRANSACTION, days: 1, usedDays: 1 };

export const writeUnitsPerRecord = (inputs = WRITE_UNIT_INPUTS) =>
  usageWriteUnits(inputs.recordsPerTransaction, inputs.days, inputs.usedDays);

/** The formula as printed: its inputs named, then its value. */
export const writeUnitsFormula = (inputs = WRITE_UNIT_INPUTS) =>
  `2 + 2 × (1 total + d days + u utilization days) / k, k = ${inputs.recordsPerTransaction} records per ` +
  `transaction, d = ${inputs.days}, u = ${inputs.usedDays}: ${writeUnitsPerRecord(inputs).toFixed(3)} WRU`;

export const costLines = (): string[] => {
  const { recordsPerTransaction: k, days: d, usedDays: u } = WRITE_UNIT_INPUTS;
  const units = writeUnitsPerRecord();
  const share = units - 2;
  return [
    "write cost per distinct record (from the design, items ≤ 1 KB, transactional writes cost double): " +
      `2 WRU for the record item (a conditional Put in the TransactWriteItems that counts it) + ` +
      `${num(share)} WRU, its share of the counter items the same transaction adds to ` +
      `(2 × (1 TOTAL + ${d} DAY + ${u} UTILIZATION) / ${k} records) = ${units.toFixed(3)} WRU; ` +
      "a duplicate is read (BatchGetItem) and not written again",
    `AWS on-demand cost per million records: ${units.toFixed(3)} WRU × $${USD_PER_MILLION_WRU} per million WRU = ` +
      `$${(units * USD_PER_MILLION_WRU).toFixed(2)} (us-east-1; writes only: Lambda, API Gateway, ` +
      "reads and storage are extra; stream reads by Lambda are free)",
  ];
};
