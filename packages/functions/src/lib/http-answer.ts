import { DomainError, type FieldIssue } from "@allot/core";
import { CSV_CONTENT_TYPE, type CsvTable, toCsv } from "@allot/core/report";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** A client error (4xx) raised by the HTTP layer itself, with the status it answers. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export interface HttpResult<Body = unknown> {
  status?: number;
  body: Body;
  headers?: Record<string, string>;
}

const statusOf: Record<DomainError["kind"], number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

/** What a client error (4xx) answers; undefined for anything else. */
export const clientAnswer = (error: unknown): HttpResult | undefined => {
  if (!(error instanceof HttpError || error instanceof DomainError)) return undefined;
  return {
    status: error instanceof HttpError ? error.statusCode : statusOf[error.kind],
    body: { message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) },
  };
};

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/**
 * Whether the caller asked for CSV: `format=csv` in the query, or an Accept header naming
 * text/csv (a `format=json` in the query wins over the header).
 */
export const wantsCsv = (event: Pick<APIGatewayProxyEventV2, "queryStringParameters" | "headers">) => {
  const format = event.queryStringParameters?.format;
  if (format) return format === "csv";
  const accept = event.headers?.accept ?? event.headers?.Accept ?? "";
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);
};

export const csvResponse = (
  table: CsvTable,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: { "content-type": CSV_CONTENT_TYPE, ...headers },
  body: toCsv(table),
});
