import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook } from "./sign.ts";

const secretA = `whsec_${Buffer.from("a".repeat(32)).toString("base64")}`;
const secretB = `whsec_${Buffer.from("b".repeat(32)).toString("base64")}`;

describe("signWebhook", () => {
  it("produces signatures the standardwebhooks library verifies", async () => {
    const id = "0f8c7e1e-2a7b-4c55-9d7a-6f1d2b3c4d5e";
    const ts = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: "person.updated", data: { first_name: "Zoë" } });
    const signature = await signWebhook([secretA], id, ts, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const headers = { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature };
    expect(new Webhook(secretA).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secretB).verify(body, headers)).toThrow();
    expect(() => new Webhook(secretA).verify(`${body} `, headers)).toThrow();
  });

  it("signs with every secret of a rotation, each verifying alone", async () => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = await signWebhook([secretB, secretA], "msg_1", ts, "{}");
    expect(signature.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": signature };
    expect(new Webhook(secretA).verify("{}", headers)).toEqual({});
    expect(new Webhook(secretB).verify("{}", headers)).toEqual({});
  });

  it("refuses a secret without the whsec_ prefix", async () => {
    await expect(signWebhook(["plain"], "x", 1, "{}")).rejects.toThrow(/whsec_/);
  });
});
