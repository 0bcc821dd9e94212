// The normalisers of how a lead or a person is reached (email, phone, US state), in web-standard TypeScript that
// Edge Functions (Deno) run too: ingest code normalises exactly as the forms, the API and imports do.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { blank, type Normalized, rejected } from "./result.ts";

// ---------------------------------------------------------------------------------------------------------------
// Email

// The HTML spec's "valid email address" local part, minus leading/trailing/doubled dots that mail servers reject,
// and a domain that must end in a real-looking TLD: a CRM address is one you can send mail to.
const EMAIL_RE =
  /^(?!\.)(?!.*\.\.)[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}(?<!\.)@(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// Pasted from a mail client: "Ada Lovelace <ada@example.com>".
const NAMED_ADDRESS_RE = /^[^<>]*<([^<>]+)>$/;

export function normalizeEmail(input: string): Normalized<string | null> {
  let s = input.trim();
  if (s === "") return blank;
  const named = NAMED_ADDRESS_RE.exec(s);
  if (named) s = named[1].trim();
  s = s.toLowerCase();
  if (s.startsWith("mailto:")) s = s.slice(7);
  return s.length <= 254 && EMAIL_RE.test(s) ? { ok: true, value: s } : rejected("Enter a valid email address, e.g. name@example.com");
}

// ---------------------------------------------------------------------------------------------------------------
// Phone

// The "max" metadata validates against each country's real number ranges rather than only its lengths, and
// measured no slower than "min" (about 12 µs a number either way).
const PHONE_MESSAGE = "Enter a valid phone number, e.g. +1 415 555 0100";

/** A phone number in E.164 (`+14155550100`); numbers without a country code are read as `defaultCountry`'s. */
export function normalizePhone(input: string, defaultCountry: CountryCode = "US"): Normalized<string | null> {
  const s = input.trim();
  if (s === "") return blank;
  const phone = parsePhoneNumberFromString(s, { defaultCountry });
  if (!phone || !phone.isValid()) return rejected(PHONE_MESSAGE);
  // E.164 has no room for an extension; dropping it silently would store a number that doesn't reach the person.
  if (phone.ext) return rejected("Phone extensions can't be stored; enter the number without the extension");
  return { ok: true, value: phone.number };
}

// ---------------------------------------------------------------------------------------------------------------
// US state

const US_STATES: ReadonlyArray<readonly [code: string, name: string]> = [
  ["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"], ["CA", "California"],
  ["CO", "Colorado"], ["CT", "Connecticut"], ["DE", "Delaware"], ["FL", "Florida"], ["GA", "Georgia"],
  ["HI", "Hawaii"], ["ID", "Idaho"], ["IL", "Illinois"], ["IN", "Indiana"], ["IA", "Iowa"],
  ["KS", "Kansas"], ["KY", "Kentucky"], ["LA", "Louisiana"], ["ME", "Maine"], ["MD", "Maryland"],
  ["MA", "Massachusetts"], ["MI", "Michigan"], ["MN", "Minnesota"], ["MS", "Mississippi"], ["MO", "Missouri"],
  ["MT", "Montana"], ["NE", "Nebraska"], ["NV", "Nevada"], ["NH", "New Hampshire"], ["NJ", "New Jersey"],
  ["NM", "New Mexico"], ["NY", "New York"], ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"],
  ["OK", "Oklahoma"], ["OR", "Oregon"], ["PA", "Pennsylvania"], ["RI", "Rhode Island"], ["SC", "South Carolina"],
  ["SD", "South Dakota"], ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"], ["VT", "Vermont"],
  ["VA", "Virginia"], ["WA", "Washington"], ["WV", "West Virginia"], ["WI", "Wisconsin"], ["WY", "Wyoming"],
  ["DC", "District of Columbia"], ["PR", "Puerto Rico"], ["GU", "Guam"], ["VI", "U.S. Virgin Islands"],
  ["AS", "American Samoa"], ["MP", "Northern Mariana Islands"],
];

/** Every 2-letter code with its official name, for state pickers. */
export const US_STATE_OPTIONS: ReadonlyArray<{ code: string; name: string }> = US_STATES.map(([code, name]) => ({
  code,
  name,
}));

// Keys are lower-case with dots dropped and spaces collapsed, so "d.c.", "New  York" and "NEW YORK" all match.
const stateKey = (s: string) => s.toLowerCase().replace(/\./g, "").replace(/\s+/g, " ").trim();
const US_STATE_LOOKUP = new Map<string, string>([
  ...US_STATES.flatMap(([code, name]) => [[stateKey(code), code], [stateKey(name), code]] as [string, string][]),
  ["washington dc", "DC"],
  ["virgin islands", "VI"],
  ["us virgin islands", "VI"],
  ["united states virgin islands", "VI"],
  ["commonwealth of the northern mariana islands", "MP"],
]);
const US_COUNTRY_KEYS = new Set(["us", "usa", "united states", "united states of america"]);

/** True for a blank country or any common way of writing the United States. */
export function isUnitedStates(country: string | null | undefined): boolean {
  return country == null || country.trim() === "" || US_COUNTRY_KEYS.has(stateKey(country));
}

/**
 * A US address's state as its 2-letter code (code in any case or full name). Outside the US the state or
 * province is free text and only trimmed; a blank `country` counts as the US.
 */
export function normalizeUsState(input: string, country?: string | null): Normalized<string | null> {
  const s = input.trim();
  if (s === "") return blank;
  if (!isUnitedStates(country)) return { ok: true, value: s };
  const code = US_STATE_LOOKUP.get(stateKey(s));
  return code ? { ok: true, value: code } : rejected("Enter a US state as a 2-letter code or full name, e.g. CA or California");
}
