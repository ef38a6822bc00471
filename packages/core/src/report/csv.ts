// Reports leave Allot as RFC 4180 CSV for spreadsheets. A text cell that starts with = + - @ or
// a tab/carriage return would be read as a formula by Excel, LibreOffice and Google Sheets
// (CSV injection): such a cell is prefixed with an apostrophe. Numbers are written as numbers,
// so a negative amount stays a number.

export type CsvCell = string | number | boolean | null | undefined;

/** A report as a table: the header row and the data rows, one cell per column. */
export interface CsvTable {
  header: string[];
  rows: CsvCell[][];
}

const FORMULA_START = /^[=+\-@\t\r]/;

export const csvCell = (cell: CsvCell): string => {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) throw new Error(`A CSV cell cannot hold ${cell}`);
    return String(cell);
  }
  const text = FORMULA_START.test(String(cell)) ? `'${cell}` : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The table as CSV: CRLF line ends (RFC 4180), the header first, every row as wide as the header. */
export const toCsv = ({ header, rows }: CsvTable): string => {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) {
    if (row.length !== header.length)
      throw new Error(`A CSV row has ${row.length} cells, the header ${header.length}`);
    lines.push(row.map(csvCell).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
};

export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present";
