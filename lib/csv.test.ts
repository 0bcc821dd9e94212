import { describe, expect, it } from "vitest";
import { columnLetter, decodeCsvBytes, looksLikeFormula, parseCsv, toCsv, type ParsedCsv } from "./csv";

const encode = (s: string) => new TextEncoder().encode(s);

function utf16(text: string, endian: "le" | "be"): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set(endian === "le" ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const [hi, lo] = [code >> 8, code & 0xff];
    bytes.set(endian === "le" ? [lo, hi] : [hi, lo], 2 + i * 2);
  }
  return bytes;
}

function parsedOk(text: string, options?: { maxRows?: number }): ParsedCsv {
  const result = parseCsv(text, options);
  if (!result.ok) throw new Error(`expected the file to parse: ${result.errors.join(" / ")}`);
  return result;
}

function fileErrors(text: string, options?: { maxRows?: number }): string[] {
  const result = parseCsv(text, options);
  if (result.ok) throw new Error("expected file errors");
  return result.errors;
}

describe("decodeCsvBytes", () => {
  it("reads UTF-8 with or without a BOM", () => {
    expect(decodeCsvBytes(encode("name\nJosé"))).toEqual({ ok: true, value: "name\nJosé" });
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encode("name\nZoë")]))).toEqual({
      ok: true,
      value: "name\nZoë",
    });
    expect(decodeCsvBytes(new Uint8Array())).toEqual({ ok: true, value: "" });
  });

  it("reads UTF-16 in either byte order when it has a BOM", () => {
    expect(decodeCsvBytes(utf16("name\tcity\nJosé\tKöln", "le"))).toEqual({ ok: true, value: "name\tcity\nJosé\tKöln" });
    expect(decodeCsvBytes(utf16("name\nJosé", "be"))).toEqual({ ok: true, value: "name\nJosé" });
  });

  it("refuses other encodings with instructions instead of guessing", () => {
    // "José" in Windows-1252: é is the lone byte 0xE9.
    const windows1252 = new Uint8Array([...encode("name\nJos"), 0xe9]);
    const result = decodeCsvBytes(windows1252);
    expect(result).toEqual({ ok: false, message: expect.stringContaining("Save it as CSV UTF-8 and upload again") });
    // UTF-16 without a BOM decodes as UTF-8 full of NULs.
    expect(decodeCsvBytes(utf16("name", "le").slice(2)).ok).toBe(false);
  });

  it("reads a text file with a stray NUL, for parseCsv to point at its cell", () => {
    expect(decodeCsvBytes(encode("name,email\nAda\u0000,ada@example.com\n"))).toEqual({ ok: true, value: "name,email\nAda\u0000,ada@example.com\n" });
  });

  it("recognises Excel workbooks", () => {
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
    expect(decodeCsvBytes(xlsx)).toEqual({ ok: false, message: expect.stringContaining("Excel workbook") });
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(decodeCsvBytes(xls)).toEqual({ ok: false, message: expect.stringContaining("Excel workbook") });
  });
});

describe("parseCsv", () => {
  it("reports a NUL by row and column, and a NUL in a column name as a file error", () => {
    const result = parseCsv("name,email\nAda,ada@example.com\nGrace,gr\u0000ace@example.com\n") as ParsedCsv;
    expect(result.rows).toEqual([["Ada", "ada@example.com"]]);
    expect(result.rowErrors).toEqual([
      { row: 3, message: "Row 3, column B (email): the value contains a character that is not allowed (NUL); delete it in your spreadsheet." },
    ]);
    expect(parseCsv("name,e\u0000mail\nAda,a@b.co\n")).toEqual({
      ok: false,
      errors: ["The name of column B contains a character that is not allowed (NUL); delete it in your spreadsheet."],
    });
    const only = parseCsv("name\nA\u0000da\n") as ParsedCsv;
    expect([only.ok, only.rows, only.rowErrors.map((e) => e.row)]).toEqual([true, [], [2]]);
  });

  it("reads headers and rows, numbering rows as a spreadsheet does", () => {
    const result = parsedOk('Name,Email,Notes\r\nAda,ada@example.com,"Met at ""Expo"", booth 4"\r\nBob,bob@example.com,\r\n');
    expect(result).toEqual({
      ok: true,
      headers: ["Name", "Email", "Notes"],
      rows: [
        ["Ada", "ada@example.com", 'Met at "Expo", booth 4'],
        ["Bob", "bob@example.com", ""],
      ],
      rowNumbers: [2, 3],
      delimiter: ",",
      rowErrors: [],
    });
  });

  it("counts a quoted multi-line cell as one row", () => {
    const result = parsedOk('name,address\nAda,"1 Main St\nSpringfield"\nBob,2 Elm St\n');
    expect(result.rows).toEqual([
      ["Ada", "1 Main St\nSpringfield"],
      ["Bob", "2 Elm St"],
    ]);
    expect(result.rowNumbers).toEqual([2, 3]);
  });

  it("detects semicolons and tabs and says which it used", () => {
    const semicolons = parsedOk("name;amount\nAda;12,50\nBob;3,00\n");
    expect(semicolons.delimiter).toBe(";");
    expect(semicolons.rows).toEqual([
      ["Ada", "12,50"],
      ["Bob", "3,00"],
    ]);
    const tabs = parsedOk("name\tcity\nAda\tLondon, UK\n");
    expect(tabs.delimiter).toBe("\t");
    expect(tabs.rows).toEqual([["Ada", "London, UK"]]);
  });

  it("reads a single-column file", () => {
    expect(parsedOk("email\nada@example.com\nbob@example.com")).toMatchObject({
      headers: ["email"],
      rows: [["ada@example.com"], ["bob@example.com"]],
      delimiter: ",",
    });
  });

  it("skips blank rows without renumbering the others, and strips a BOM and header spaces", () => {
    const result = parsedOk("\uFEFF\n Name , Email \n\nAda,a@example.com\n,\n  ,  \nBob,b@example.com\n\n\n");
    expect(result.headers).toEqual(["Name", "Email"]);
    expect(result.rows).toEqual([
      ["Ada", "a@example.com"],
      ["Bob", "b@example.com"],
    ]);
    expect(result.rowNumbers).toEqual([4, 7]);
  });

  it("ignores trailing empty columns that spreadsheets leave behind", () => {
    const result = parsedOk("name,email,,\nAda,a@example.com,,\nBob,b@example.com,\n");
    expect(result.headers).toEqual(["name", "email"]);
    expect(result.rows).toEqual([
      ["Ada", "a@example.com"],
      ["Bob", "b@example.com"],
    ]);
  });

  it("reports rows with the wrong number of columns and keeps the rest", () => {
    const text = ["a,b,c,d,e", "1,2,3,4,5", "1,2,3,4,5", "1,2,3", "1,2,3,4,5", "1,2,3,4,5", "1,2,3,4,5,6", "1,2,3,4,5"].join("\n");
    const result = parsedOk(text);
    expect(result.rowErrors).toEqual([
      { row: 4, message: "Row 4: expected 5 columns, found 3." },
      { row: 7, message: "Row 7: expected 5 columns, found 6." },
    ]);
    expect(result.rowNumbers).toEqual([2, 3, 5, 6, 8]);
    expect(result.rows.every((row) => row.length === 5)).toBe(true);
  });

  it("refuses a file with quotes out of place, naming the row", () => {
    expect(fileErrors('name,title\nAda,"CEO"x\nBob,CTO\n')).toEqual([
      'Row 2: a quoted value has text after its closing quote. Inside a quoted value, write a double quote as "".',
    ]);
    expect(fileErrors('name,title\nAda,CEO\nBob,"CTO\nCy,CFO\n')).toEqual([
      expect.stringMatching(/^Row 3: a quoted value is never closed/),
    ]);
  });

  it("refuses empty files and files without data", () => {
    expect(fileErrors("")).toEqual(["The file is empty."]);
    expect(fileErrors(" \r\n\r\n")).toEqual(["The file is empty."]);
    expect(fileErrors(",,\n,,\n")).toEqual(["The file is empty."]);
    expect(fileErrors("name,email\n")).toEqual(["The file has column names but no rows of data."]);
  });

  it("refuses blank and duplicate column names", () => {
    expect(fileErrors("name,,email\nAda,x,a@example.com")).toEqual([
      "Column B has no name. Fill in every column name in row 1.",
    ]);
    expect(fileErrors("Email,name,email\na,b,c")).toEqual([
      "Column names must be unique: “email” names both column A and column C.",
    ]);
  });

  it("refuses a first row that is data rather than column names", () => {
    expect(fileErrors("Ada,ada@example.com\nBob,bob@example.com")).toEqual([
      expect.stringContaining("Row 1 must hold the column names, but it contains “ada@example.com”"),
    ]);
  });

  it("names the delimiter when the columns could not be split", () => {
    expect(fileErrors("name|email\nAda|a@example.com\n")).toEqual([
      expect.stringContaining("Row 1 was read as a single column, though it contains “|”"),
    ]);
  });

  it("says the header is the odd one out when no row matches it", () => {
    expect(fileErrors("name,email\nAda,a@example.com,London\nBob,b@example.com,Paris\n")).toEqual([
      "Row 1 names 2 columns but the rows below have 3. Give every column a name, and use one delimiter throughout the file.",
    ]);
  });

  it("enforces the row limit", () => {
    const text = ["email", "a@example.com", "b@example.com", "", "c@example.com"].join("\n");
    expect(parsedOk(text, { maxRows: 3 }).rows).toHaveLength(3);
    expect(fileErrors(text, { maxRows: 2 })).toEqual([
      "The file has 3 rows of data; at most 2 can be imported at once. Split it into smaller files.",
    ]);
  });

  it("parses 100,000 rows of 10 columns", () => {
    const header = Array.from({ length: 10 }, (_, i) => `col${i}`).join(",");
    const lines = [header];
    for (let r = 0; r < 100_000; r++) {
      lines.push(Array.from({ length: 10 }, (_, c) => (c === 3 ? `"Smith, ${r}"` : `v${r}_${c}`)).join(","));
    }
    const result = parsedOk(lines.join("\r\n"));
    expect(result.rows).toHaveLength(100_000);
    expect(result.rows[99_999][3]).toBe("Smith, 99999");
    expect(result.rowNumbers[99_999]).toBe(100_001);
  });
});

describe("looksLikeFormula", () => {
  it("flags OWASP's formula starters", () => {
    for (const cell of ["=1+1", "=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1", "-", "+1 (415) 555-0100"]) {
      expect(looksLikeFormula(cell), cell).toBe(true);
    }
  });

  it("leaves plain numbers, E.164 phones and ordinary text alone", () => {
    for (const cell of ["-12.5", "+14155550100", "-0.5", "+.5", "42", "", "Ada", "a=b", "ada@example.com", " =1"]) {
      expect(looksLikeFormula(cell), cell).toBe(false);
    }
  });
});

describe("toCsv", () => {
  it("writes RFC 4180 with CRLF and a BOM by default", () => {
    const csv = toCsv(
      ["Name", "Notes", "Value"],
      [
        ["Ada", 'Said "hi", left', 12.5],
        ["Bob", "line 1\nline 2", null],
        [" padded ", undefined, 10n],
      ],
    );
    expect(csv).toBe('\uFEFFName,Notes,Value\r\nAda,"Said ""hi"", left",12.5\r\nBob,"line 1\nline 2",\r\n" padded ",,10');
    expect(toCsv(["a"], [["1"]], { bom: false })).toBe("a\r\n1");
  });

  it("writes dates as ISO timestamps and booleans as words", () => {
    expect(toCsv(["at", "done"], [[new Date("2026-01-02T03:04:05Z"), true]], { bom: false })).toBe(
      "at,done\r\n2026-01-02T03:04:05.000Z,true",
    );
  });

  it("neutralises formulas but keeps numbers and E.164 phones usable", () => {
    const csv = toCsv(
      ["cell"],
      [["=1+1"], ["+cmd|' /C calc'!A0"], ["@SUM(A1)"], ["-2+3"], ["\t=1"], ["-12.5"], ["+14155550100"], [-7]],
      { bom: false },
    );
    expect(csv.split("\r\n")).toEqual([
      "cell",
      `"'=1+1"`,
      `"'+cmd|' /C calc'!A0"`,
      `"'@SUM(A1)"`,
      `"'-2+3"`,
      `"'\t=1"`,
      "-12.5",
      "+14155550100",
      "-7",
    ]);
  });

  it("round-trips through parseCsv", () => {
    const rows = [
      ["Ada", 'quote " comma , semicolon ;', "José"],
      ["Bob", "multi\r\nline", ""],
    ];
    const parsed = parsedOk(toCsv(["a", "b", "c"], rows));
    expect(parsed.headers).toEqual(["a", "b", "c"]);
    expect(parsed.rows).toEqual(rows);
  });
});

describe("columnLetter", () => {
  it("counts like a spreadsheet", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
  });
});
