/**
 * CSV in and out, on papaparse.
 *
 * Import: `decodeCsvBytes` turns the uploaded bytes into text, `parseCsv` turns text into a header row and data
 * rows, or into errors a user can fix in their spreadsheet. Cell values stay raw strings; the importer runs them
 * through the normalisers.
 *
 * Row numbers everywhere are the ones a spreadsheet shows: the record's 1-based position in the file, so the header
 * is row 1 and the first data row is row 2. A record is one CSV row even when a quoted cell spans several lines.
 *
 * Export: `toCsv` writes RFC 4180 with CRLF line ends and neutralises cells a spreadsheet would run as formulas.
 */
import Papa from "papaparse";
import { hasNul } from "@/lib/validation";

// ---------------------------------------------------------------------------------------------------------------
// Bytes to text

export type DecodedCsv = { ok: true; value: string } | { ok: false; message: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf16le = new TextDecoder("utf-16le", { fatal: true });
const utf16be = new TextDecoder("utf-16be", { fatal: true });

const NOT_UTF8 =
  "This file is not UTF-8 text. Save it as CSV UTF-8 and upload again (in Excel: File › Save As › “CSV UTF-8 (Comma delimited)”).";
const SPREADSHEET =
  "This is an Excel workbook, not a CSV file. Save it as CSV UTF-8 and upload again (in Excel: File › Save As › “CSV UTF-8 (Comma delimited)”).";

/**
 * The text of an uploaded CSV file. UTF-8 (with or without BOM) and UTF-16 with a BOM are read; anything else is
 * refused with instructions rather than guessed. Falling back to Windows-1252 would read almost any byte sequence
 * "successfully", so a file saved in another code page would import with silently garbled names; an error costs
 * one re-save.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
  const [b0, b1, b2, b3] = bytes;
  // xlsx is a zip archive ("PK\3\4"); xls is an OLE compound file.
  if ((b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) || (b0 === 0xd0 && b1 === 0xcf && b2 === 0x11 && b3 === 0xe0)) {
    return { ok: false, message: SPREADSHEET };
  }
  let decoder = utf8;
  if (b0 === 0xff && b1 === 0xfe) decoder = utf16le;
  else if (b0 === 0xfe && b1 === 0xff) decoder = utf16be;
  let text: string;
  try {
    // The decoders drop a leading BOM themselves.
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, message: NOT_UTF8 };
  }
  // UTF-16 without a BOM and binary files are full of NULs; a stray one in a
  // text file is reported by parseCsv at its row and column instead.
  if (nulShare(text) > 0.25) return { ok: false, message: NOT_UTF8 };
  return { ok: true, value: text };
}

function nulShare(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\u0000"); i >= 0; i = text.indexOf("\u0000", i + 1)) n++;
  return n / text.length;
}

const NUL_CELL = "contains a character that is not allowed (NUL); delete it in your spreadsheet";

// ---------------------------------------------------------------------------------------------------------------
// Text to rows

export type CsvDelimiter = "," | ";" | "\t";
/** A problem with one row: the row is left out of `rows`, the rest of the file can still be imported. */
export type CsvRowError = { row: number; message: string };
export type ParsedCsv = {
  ok: true;
  headers: string[];
  /** Data rows with blank rows left out, each exactly `headers.length` cells long. */
  rows: string[][];
  /** The spreadsheet row number of each entry of `rows`. */
  rowNumbers: number[];
  delimiter: CsvDelimiter;
  rowErrors: CsvRowError[];
};
/** Problems with the file as a whole: nothing can be imported until they are fixed. */
export type CsvFileErrors = { ok: false; errors: string[] };

const DELIMITER_NAMES: Record<string, string> = { ",": "commas", ";": "semicolons", "\t": "tabs", "|": "“|”" };
const HEADER_LOOKS_LIKE_EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

function isBlankRow(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim() !== "") return false;
  return true;
}

/** Length of the row without its trailing blank cells. */
function filledLength(cells: string[]): number {
  let n = cells.length;
  while (n > 0 && cells[n - 1].trim() === "") n--;
  return n;
}

/**
 * Parses CSV text whose first non-blank row holds the column names. Commas, semicolons and tabs are detected
 * (papaparse guesses from the first rows) and reported as `delimiter`. Blank rows are skipped. Trailing empty
 * columns, as spreadsheets often leave, are ignored; a data row with a different number of columns than the
 * header becomes a row error ("Row 7: expected 5 columns, found 3").
 */
export function parseCsv(text: string, options: { maxRows?: number } = {}): ParsedCsv | CsvFileErrors {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { ok: false, errors: ["The file is empty."] };

  // Guessing skips blank lines: a trailing newline would otherwise look like a one-column row and spoil the
  // guess. Parsing does not, so that row numbers keep counting them.
  const guessed = Papa.parse<string[]>(text, { delimitersToGuess: [",", ";", "\t"], skipEmptyLines: "greedy", preview: 10 });
  const delimiter = guessed.meta.delimiter as CsvDelimiter;
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  const data = parsed.data;

  // A quote out of place makes papaparse read on into the following rows, so no later row can be trusted.
  const quoteErrors = new Map<number, string>();
  for (const error of parsed.errors) {
    const row = (error.row ?? 0) + 1;
    if (error.code === "InvalidQuotes") {
      quoteErrors.set(
        row,
        `Row ${row}: a quoted value has text after its closing quote. Inside a quoted value, write a double quote as "".`,
      );
    } else if (error.code === "MissingQuotes" && !quoteErrors.has(row)) {
      quoteErrors.set(row, `Row ${row}: a quoted value is never closed. Check that row for a missing or extra double quote (").`);
    }
  }
  if (quoteErrors.size > 0) {
    return { ok: false, errors: [...quoteErrors].sort((a, b) => a[0] - b[0]).map(([, message]) => message) };
  }

  const fileErrors: string[] = [];
  let headerIndex = 0;
  while (headerIndex < data.length && isBlankRow(data[headerIndex])) headerIndex++;
  if (headerIndex === data.length) return { ok: false, errors: ["The file is empty."] };
  const headerRow = data[headerIndex].map((cell) => cell.trim());
  const headerRowNumber = headerIndex + 1;
  const headers = headerRow.slice(0, filledLength(headerRow));

  if (headers.length === 1) {
    const inside = [";", "\t", "|", ","].find((d) => headers[0].includes(d));
    if (inside) {
      fileErrors.push(
        `Row ${headerRowNumber} was read as a single column, though it contains ${DELIMITER_NAMES[inside]}. ` +
          "Separate the columns with commas, semicolons or tabs, the same on every row.",
      );
    }
  }
  const seen = new Map<string, number>();
  headers.forEach((name, i) => {
    if (hasNul(name)) {
      fileErrors.push(`The name of column ${columnLetter(i)} ${NUL_CELL}.`);
      return;
    }
    if (name === "") {
      fileErrors.push(`Column ${columnLetter(i)} has no name. Fill in every column name in row ${headerRowNumber}.`);
      return;
    }
    if (HEADER_LOOKS_LIKE_EMAIL_RE.test(name)) {
      fileErrors.push(
        `Row ${headerRowNumber} must hold the column names, but it contains “${name}”. Add a row with column names at the top.`,
      );
      return;
    }
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      fileErrors.push(
        `Column names must be unique: “${name}” names both column ${columnLetter(first)} and column ${columnLetter(i)}.`,
      );
    }
  });
  if (fileErrors.length > 0) return { ok: false, errors: fileErrors };

  const width = headers.length;
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  const rowErrors: CsvRowError[] = [];
  const foundWidths = new Map<number, number>();
  for (let i = headerIndex + 1; i < data.length; i++) {
    let cells = data[i];
    if (isBlankRow(cells)) continue;
    const row = i + 1;
    if (cells.length > width && filledLength(cells) <= width) cells = cells.slice(0, width);
    if (cells.length !== width) {
      rowErrors.push({ row, message: `Row ${row}: expected ${width} columns, found ${cells.length}.` });
      foundWidths.set(cells.length, (foundWidths.get(cells.length) ?? 0) + 1);
      continue;
    }
    const nulAt = cells.findIndex(hasNul);
    if (nulAt >= 0) {
      rowErrors.push({ row, message: `Row ${row}, column ${columnLetter(nulAt)} (${headers[nulAt]}): the value ${NUL_CELL}.` });
      continue;
    }
    rows.push(cells);
    rowNumbers.push(row);
  }

  const total = rows.length + rowErrors.length;
  if (total === 0) return { ok: false, errors: ["The file has column names but no rows of data."] };
  if (options.maxRows !== undefined && total > options.maxRows) {
    return {
      ok: false,
      errors: [
        `The file has ${total.toLocaleString("en-US")} rows of data; at most ${options.maxRows.toLocaleString("en-US")} can be imported at once. Split it into smaller files.`,
      ],
    };
  }
  if (rows.length === 0 && foundWidths.size > 0) {
    // No row matches the header: the header itself is the odd one out, not every row.
    const [common] = [...foundWidths].sort((a, b) => b[1] - a[1])[0];
    return {
      ok: false,
      errors: [
        `Row ${headerRowNumber} names ${width} column${width === 1 ? "" : "s"} but the rows below have ${common}. ` +
          "Give every column a name, and use one delimiter throughout the file.",
      ],
    };
  }
  return { ok: true, headers, rows, rowNumbers, delimiter, rowErrors };
}

// ---------------------------------------------------------------------------------------------------------------
// Formulas

/**
 * A cell a spreadsheet would run as a formula: one starting with =, +, -, @, tab or carriage return (OWASP's
 * CSV-injection list). Plain numbers are the exception — "-12.5" and E.164 phones like "+14155550100" are
 * nothing but digits and can't call anything, and prefixing them would turn numbers into text in every export.
 * Anything else with those first characters, formatted phones like "+1 (415) 555-0100" included, counts.
 */
const FORMULA_RE = /^(?![+-]?(?:\d+(?:\.\d+)?|\.\d+)$)[=+\-@\t\r]/;

/**
 * True when a cell would be evaluated by a spreadsheet. Imports store such cells as text like any other and never
 * evaluate them; this is for warning the user, and for export, which neutralises them.
 */
export function looksLikeFormula(cell: string): boolean {
  return FORMULA_RE.test(cell);
}

// ---------------------------------------------------------------------------------------------------------------
// Rows to text

export type CsvCell = string | number | bigint | boolean | Date | null | undefined;

function cellText(cell: CsvCell): string {
  if (cell == null) return "";
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

/**
 * RFC 4180 CSV: cells holding a comma, quote, line break or edge spaces are quoted, quotes doubled, lines end in
 * CRLF. Cells that `looksLikeFormula` are prefixed with a single quote so a spreadsheet shows them as text.
 * `bom` (default true) starts the file with a UTF-8 byte-order mark, without which Excel reads UTF-8 as the
 * local code page and garbles accented names.
 */
export function toCsv(
  headers: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  options: { bom?: boolean } = {},
): string {
  const csv = Papa.unparse(
    { fields: [...headers], data: rows.map((row) => row.map(cellText)) },
    { newline: "\r\n", escapeFormulae: FORMULA_RE },
  );
  return (options.bom ?? true) ? `\uFEFF${csv}` : csv;
}
