import { describe, expect, it } from "vitest";
import { checkFillToken, issueFillToken, TOKEN_MAX_AGE_MS } from "./token";

const SECRET = "ab".repeat(32);
const OTHER = "cd".repeat(32);

describe("fill-time tokens", () => {
  it("say how long ago they were issued, for the form they were issued for", async () => {
    const token = await issueFillToken(SECRET, "wf_contact01", 1_800_000_000_000);
    expect(await checkFillToken(SECRET, "wf_contact01", token, 1_800_000_004_000)).toEqual({ ok: true, elapsedMs: 4000 });
  });

  it("refuse a token of another form or secret, a tampered time, an expired one and garbage", async () => {
    const now = 1_800_000_000_000;
    const token = await issueFillToken(SECRET, "wf_contact01", now);
    const [, sig] = token.split(".");
    expect(await checkFillToken(SECRET, "wf_contact02", token, now)).toEqual({ ok: false, reason: "bad_token" });
    expect(await checkFillToken(OTHER, "wf_contact01", token, now)).toEqual({ ok: false, reason: "bad_token" });
    expect(await checkFillToken(SECRET, "wf_contact01", `${now - 60_000}.${sig}`, now)).toEqual({ ok: false, reason: "bad_token" });
    expect(await checkFillToken(SECRET, "wf_contact01", token, now + TOKEN_MAX_AGE_MS + 1)).toEqual({ ok: false, reason: "bad_token" });
    expect(await checkFillToken(SECRET, "wf_contact01", "hello", now)).toEqual({ ok: false, reason: "bad_token" });
    expect(await checkFillToken(SECRET, "wf_contact01", "", now)).toEqual({ ok: false, reason: "missing_token" });
  });
});
