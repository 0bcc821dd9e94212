import { describe, expect, it } from "vitest";
import { currencyMinorDigits, formatMoney, minorToDecimal, normalizeCurrency, parseMoneyToMinor } from "./money";

const value = <T>(v: T) => ({ ok: true, value: v });
const error = (message: string | RegExp) => ({
  ok: false,
  message: typeof message === "string" ? message : expect.stringMatching(message),
});

describe("normalizeCurrency", () => {
  it("accepts ISO 4217 codes in any case", () => {
    expect(normalizeCurrency(" usd ")).toEqual(value("USD"));
    expect(normalizeCurrency("jpy")).toEqual(value("JPY"));
    expect(normalizeCurrency("")).toEqual(value(null));
  });

  it("rejects unknown codes", () => {
    for (const input of ["US", "DOLLAR", "XYZ", "$"]) {
      expect(normalizeCurrency(input)).toEqual(error("Enter a 3-letter ISO currency code, e.g. USD"));
    }
  });
});

describe("parseMoneyToMinor", () => {
  it("respects each currency's minor unit", () => {
    expect(currencyMinorDigits("USD")).toBe(2);
    expect(currencyMinorDigits("JPY")).toBe(0);
    expect(currencyMinorDigits("KWD")).toBe(3);
    expect(parseMoneyToMinor("1,234.56", "USD")).toEqual(value(123456));
    expect(parseMoneyToMinor("1,234", "JPY")).toEqual(value(1234));
    expect(parseMoneyToMinor("1.234", "KWD")).toEqual(value(1234));
    expect(parseMoneyToMinor("12.5", "USD")).toEqual(value(1250));
    expect(parseMoneyToMinor("12", "KWD")).toEqual(value(12000));
    expect(parseMoneyToMinor(".5", "USD")).toEqual(value(50));
    expect(parseMoneyToMinor("0", "USD")).toEqual(value(0));
  });

  it("accepts symbols, codes, spaces and the common grouping styles", () => {
    expect(parseMoneyToMinor("$1,234.56", "USD")).toEqual(value(123456));
    expect(parseMoneyToMinor("USD 1234.56", "USD")).toEqual(value(123456));
    expect(parseMoneyToMinor("1 234,56 €", "EUR")).toEqual(value(123456));
    expect(parseMoneyToMinor("1.234,56", "EUR")).toEqual(value(123456));
    expect(parseMoneyToMinor("1.234.567", "EUR")).toEqual(value(123456700));
    expect(parseMoneyToMinor("12,5", "EUR")).toEqual(value(1250));
    expect(parseMoneyToMinor("1'234.50", "CHF")).toEqual(value(123450));
    expect(parseMoneyToMinor("12,34,567.89", "INR")).toEqual(value(123456789));
    expect(parseMoneyToMinor("¥1,000", "JPY")).toEqual(value(1000));
  });

  it("accepts numbers without float surprises", () => {
    expect(parseMoneyToMinor(1234.56, "USD")).toEqual(value(123456));
    expect(parseMoneyToMinor(0.29, "USD")).toEqual(value(29));
    expect(parseMoneyToMinor(19.99, "USD")).toEqual(value(1999));
    expect(parseMoneyToMinor(0.1 + 0.2, "USD")).toEqual(error("USD amounts have at most 2 decimal places"));
    expect(parseMoneyToMinor(Number.NaN, "USD")).toEqual(error(/Enter an amount/));
    expect(parseMoneyToMinor(1e20, "USD")).toEqual(error("The amount is too large"));
  });

  it("refuses more decimals than the currency has, unless they are zeros", () => {
    expect(parseMoneyToMinor("12.345", "USD")).toEqual(error("USD amounts have at most 2 decimal places"));
    expect(parseMoneyToMinor("1000.5", "JPY")).toEqual(error("JPY amounts have no decimal places"));
    expect(parseMoneyToMinor("1000.00", "JPY")).toEqual(value(1000));
    expect(parseMoneyToMinor("12.3400", "USD")).toEqual(value(1234));
  });

  it("refuses negatives unless allowed", () => {
    expect(parseMoneyToMinor("-5", "USD")).toEqual(error("Enter an amount of zero or more"));
    expect(parseMoneyToMinor("-$5.10", "USD", { allowNegative: true })).toEqual(value(-510));
    expect(parseMoneyToMinor("(12.50)", "USD", { allowNegative: true })).toEqual(value(-1250));
    expect(parseMoneyToMinor("-0", "USD")).toEqual(value(0));
  });

  it("rejects what isn't an amount", () => {
    for (const input of ["abc", "1,2,3", "1.234.56", "12..5", "1,234.56.7", "1e5", "--5", "5 apples", ","]) {
      expect(parseMoneyToMinor(input, "USD")).toEqual(error(/Enter an amount|decimal places/));
    }
    expect(parseMoneyToMinor("99999999999999999", "USD")).toEqual(error("The amount is too large"));
    expect(parseMoneyToMinor("", "USD")).toEqual(value(null));
    expect(parseMoneyToMinor("  ", "USD")).toEqual(value(null));
    expect(parseMoneyToMinor("$", "USD")).toEqual(value(null));
  });
});

describe("formatMoney and minorToDecimal", () => {
  it("formats minor units in the currency's own precision", () => {
    expect(formatMoney(123456, "USD")).toBe("$1,234.56");
    expect(formatMoney(1234, "JPY")).toBe("¥1,234");
    expect(formatMoney(1234, "KWD")).toBe("KWD\u00a01.234");
    expect(formatMoney(-5, "USD")).toBe("-$0.05");
    expect(formatMoney(123456, "EUR", "de-DE")).toBe("1.234,56\u00a0€");
  });

  it("stays exact beyond the safe-integer range", () => {
    expect(formatMoney(12345678901234567890n, "USD")).toBe("$123,456,789,012,345,678.90");
    expect(formatMoney("12345678901234567890", "USD")).toBe("$123,456,789,012,345,678.90");
  });

  it("round-trips through the input form", () => {
    expect(minorToDecimal(123456, "USD")).toBe("1234.56");
    expect(minorToDecimal(5, "USD")).toBe("0.05");
    expect(minorToDecimal(-5, "KWD")).toBe("-0.005");
    expect(minorToDecimal(1234, "JPY")).toBe("1234");
    for (const minor of [0, 1, 99, 100, 123456, 987654321]) {
      expect(parseMoneyToMinor(minorToDecimal(minor, "USD"), "USD")).toEqual(value(minor));
    }
  });
});
