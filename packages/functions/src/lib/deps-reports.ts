import {
  dynamoAwardRepository,
  dynamoLedgerRepository,
  dynamoOutputRepository,
  dynamoUtilizationRepository,
} from "@allot/adapters";
import type { ReportDeps } from "@allot/core/report";
import { doc, once, proposalDeps, tableName } from "./deps.js";

export const reportDeps = once(
  (): ReportDeps => ({
    ...proposalDeps(),
    awards: dynamoAwardRepository(doc(), tableName()),
    ledger: dynamoLedgerRepository(doc(), tableName()),
    utilization: dynamoUtilizationRepository(doc(), tableName()),
    outputs: dynamoOutputRepository(doc(), tableName()),
  }),
);
