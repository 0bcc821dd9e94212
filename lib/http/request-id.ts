export const REQUEST_ID_HEADER = "x-request-id";

const valid = /^[A-Za-z0-9._:-]{8,128}$/;

/** Keeps a caller's well-formed request id (from a load balancer), else makes one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && valid.test(given) ? given : crypto.randomUUID();
}
