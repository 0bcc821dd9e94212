/**
 * Currencies and amounts. Amounts are stored as integers in the currency's minor unit (cents for USD, yen for JPY,
 * fils for KWD). Kept apart from the other normalisers, which carry phone metadata, so that client components can
 * format money cheaply; `normalize.ts` re-exports everything here.
 */
import { blank, type Normalized, rejected } from "./result";

let currencies: Set<string> | undefined;
const minorDigitsCache = new Map<string, number>();
const formatterCache = new Map<string, Intl.NumberFormat>();

/** An ISO 4217 code the runtime knows, upper-case. */
export function normalizeCurrency(input: string): Normalized<string | null> {
  const s = input.trim().toUpperCase();
  if (s === "") return blank;
  currencies ??= new Set(Intl.supportedValuesOf("currency"));
  return currencies.has(s) ? { ok: true, value: s } : rejected("Enter a 3-letter ISO currency code, e.g. USD");
}

/** Digits after the decimal point in `currency`'s minor unit: USD 2, JPY 0, KWD 3. Throws on an unknown code. */
export function currencyMinorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

const MONEY_SYMBOLS_RE = /[\p{Sc}\s']/gu;
const GROUPED_RE = /^\d{1,3}(?:,\d{2,3})*,\d{3}$|^\d{1,3}(?:\.\d{2,3})*\.\d{3}$/;

/**
 * An amount typed by a person ("1,234.56", "$1,234.56", "1.234,56 €", "(12.50)") as an integer count of
 * `currency`'s minor units: 123456 for USD, 1235 for JPY "1,235". A dot is the decimal separator and a comma
 * groups thousands, except in the European form where the comma comes last ("1.234,56") or is followed by one or
 * two digits only ("12,5"). More decimals than the currency has is an error rather than rounding, unless they are
 * zeros. Negative amounts ("-5", "(5)") are refused unless `allowNegative`.
 */
export function parseMoneyToMinor(
  input: string | number,
  currency: string,
  options: { allowNegative?: boolean } = {},
): Normalized<number | null> {
  const digits = currencyMinorDigits(currency);
  let s: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return rejected("Enter an amount, e.g. 1,234.56");
    if (Math.abs(input) >= 1e15) return rejected("The amount is too large");
    // Shortest round-trip text: 0.1 + 0.2 stays visibly wrong instead of being silently rounded.
    s = String(input);
    if (s.includes("e")) return rejected(decimalsMessage(currency, digits));
  } else {
    s = input;
  }
  s = s.replace(MONEY_SYMBOLS_RE, "");
  if (s === "") return blank;
  // A currency code written beside the amount: "USD 12", "12 usd".
  const code = currency.toUpperCase();
  if (s.length > 3 && s.slice(0, 3).toUpperCase() === code) s = s.slice(3);
  else if (s.length > 3 && s.slice(-3).toUpperCase() === code) s = s.slice(0, -3);

  let negative = false;
  if (s.startsWith("(") && s.endsWith(")")) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = negative || s[0] === "-";
    s = s.slice(1);
  } else if (s.endsWith("-")) {
    negative = true;
    s = s.slice(0, -1);
  }

  const split = splitDecimal(s);
  if (!split) return rejected("Enter an amount, e.g. 1,234.56");
  const [whole, fraction] = split;
  if (fraction.length > digits && !/^0*$/.test(fraction.slice(digits))) return rejected(decimalsMessage(currency, digits));
  const minorText = (whole + fraction.slice(0, digits).padEnd(digits, "0")).replace(/^0+(?=\d)/, "");
  const minor = Number(minorText);
  if (!Number.isSafeInteger(minor)) return rejected("The amount is too large");
  if (negative && minor !== 0 && !options.allowNegative) return rejected("Enter an amount of zero or more");
  return { ok: true, value: negative && minor !== 0 ? -minor : minor };
}

function decimalsMessage(currency: string, digits: number): string {
  return digits === 0
    ? `${currency} amounts have no decimal places`
    : `${currency} amounts have at most ${digits} decimal place${digits === 1 ? "" : "s"}`;
}

/** [whole digits, fraction digits] of an unsigned amount with grouping separators, or null if it isn't one. */
function splitDecimal(s: string): [string, string] | null {
  if (!/^[\d.,]+$/.test(s)) return null;
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  let decimalAt = -1;
  if (lastDot >= 0 && lastComma >= 0) decimalAt = Math.max(lastDot, lastComma);
  else if (lastDot >= 0 && s.indexOf(".") === lastDot) decimalAt = lastDot;
  else if (lastComma >= 0 && s.indexOf(",") === lastComma && /^,\d{1,2}$/.test(s.slice(lastComma))) decimalAt = lastComma;

  const whole = decimalAt < 0 ? s : s.slice(0, decimalAt);
  const fraction = decimalAt < 0 ? "" : s.slice(decimalAt + 1);
  if (!/^\d*$/.test(fraction)) return null;
  if (whole === "") return fraction === "" ? null : ["0", fraction];
  if (/^\d+$/.test(whole)) return [whole, fraction];
  // Grouped thousands, also the Indian lakh grouping: "1,234,567", "12,34,567", "1.234".
  return GROUPED_RE.test(whole) ? [whole.replace(/[.,]/g, ""), fraction] : null;
}

/** Minor units as a plain decimal string for an input box: 123456 USD → "1234.56", 1235 JPY → "1235". */
export function minorToDecimal(minor: number | bigint | string, currency: string): string {
  const digits = currencyMinorDigits(currency);
  const text = BigInt(minor).toString();
  const negative = text.startsWith("-");
  const abs = (negative ? text.slice(1) : text).padStart(digits + 1, "0");
  const sign = negative ? "-" : "";
  return digits === 0 ? sign + abs : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/**
 * Minor units formatted for display: `formatMoney(123456, "USD")` → "$1,234.56". Exact for any integer size (the
 * amount reaches Intl as a decimal string, never a float). The locale defaults to en-US so server and browser
 * render the same text.
 */
export function formatMoney(minor: number | bigint | string, currency: string, locale = "en-US"): string {
  const key = `${locale}|${currency}`;
  let formatter = formatterCache.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatterCache.set(key, formatter);
  }
  // A numeric string is formatted as an exact decimal (Intl.NumberFormat v3), so no float rounding on the way.
  return formatter.format(minorToDecimal(minor, currency) as `${number}`);
}
