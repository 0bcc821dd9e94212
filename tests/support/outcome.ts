import { type ActionFailure, failureOf } from "@/lib/action-result";
import { type ErrorCode, isDomainError } from "@/lib/errors";

/**
 * A service call's outcome as a server action answers it (its data, or the
 * refusal through failureOf), with the refusal's code beside it so a test
 * can check the status the REST API would answer with. Anything else thrown
 * is a bug and fails the test.
 */
export async function outcome<T>(work: Promise<T>): Promise<{ ok: true; data: T } | (ActionFailure & { code: ErrorCode })> {
  try {
    return { ok: true, data: await work };
  } catch (e) {
    if (isDomainError(e)) return { ...failureOf(e), code: e.code };
    throw e;
  }
}
