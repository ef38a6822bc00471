import { usageError } from "./errors.js";

/**
 * RFC 4180 records: fields separated by commas, quoted with double quotes when they hold a comma,
 * a quote (doubled) or a line break. Each record keeps the line it starts on, for messages.
 */
export const parseCsv = (text: string): Array<{ line: number; fields: string[] }> => {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const endField = () => {
    fields.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== "") records.push({ line: start, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") endField();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw usageError(`a quoted field opened on line ${start} is never closed`);
  if (field !== "" || fields.length) endRecord();
  return records;
};
