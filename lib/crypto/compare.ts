// Comparing a secret someone presented with the one expected, in web-standard
// code (Deno and Node alike): the time taken does not depend on where the
// two differ, so it tells an attacker nothing about how close a guess was.

const encoder = new TextEncoder();

export function sameSecret(given: string, expected: string): boolean {
  const x = encoder.encode(given);
  const y = encoder.encode(expected);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}
