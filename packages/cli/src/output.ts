/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Ends the run with this code once the command returns (a result that is not a success). */
  setExitCode(code: number): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

export const printJson = (io: Io, value: unknown) => io.out(`${JSON.stringify(value, null, 2)}\n`);

const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
/** Integer cents as dollars, e.g. 1234567 → "$12,345.67". */
export const money = (cents: unknown) => (typeof cents === "number" ? dollars.format(cents / 100) : "");

export interface Column<Row> {
  header: string;
  value(row: Row): string | number | undefined;
  /** Numbers and money read best right-aligned. */
  right?: boolean;
}

/** A plain-text table, one row per line, columns padded to their widest cell. */
export const table = <Row>(io: Io, rows: Row[], columns: Column<Row>[]) => {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row) ?? "")));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]?.right ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  io.out(`${line(columns.map((c) => c.header))}\n`);
  for (const row of cells) io.out(`${line(row)}\n`);
  if (rows.length === 0) io.out("(none)\n");
};

/** One record as "field  value" lines; nested values as compact JSON. */
export const details = (io: Io, record: Record<string, unknown>) => {
  const width = Math.max(0, ...Object.keys(record).map((k) => k.length));
  for (const [key, value] of Object.entries(record)) {
    const text = value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
    io.out(`${key.padEnd(width)}  ${text}\n`);
  }
};
