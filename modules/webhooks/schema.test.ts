import { describe, expect, it } from "vitest";
import { endpointSchema, isKnownEventType, normalizeEventTypes, WEBHOOK_EVENT_CATALOG } from "./schema";

describe("webhook event types", () => {
  it("knows the catalog's types, family wildcards and *", () => {
    for (const t of ["*", "person.*", "deal.moved", "task.completed", "lead.*", "email.*", "sms.*", "call.*", "integration.*"]) {
      expect(isKnownEventType(t), t).toBe(true);
    }
    for (const t of ["webhook.test", "webhook.*", "person.exploded", "deal", "*.*", "Person.created", ""]) {
      expect(isKnownEventType(t), t).toBe(false);
    }
  });

  it("keeps the smallest equivalent subscription, in catalog order", () => {
    expect(normalizeEventTypes(["deal.won", "person.created", "deal.*", "deal.moved"])).toEqual(["person.created", "deal.*"]);
    expect(normalizeEventTypes(["task.created", "*"])).toEqual(["*"]);
    expect(normalizeEventTypes(["note.updated", "note.updated"])).toEqual(["note.updated"]);
  });
});

describe("endpoint input", () => {
  const parse = (input: object) => endpointSchema.safeParse({ url: "https://example.com/hooks", eventTypes: ["*"], ...input });

  it("trims, drops an empty description and accepts http for the server to judge", () => {
    expect(parse({ url: " https://example.com/in?x=1 ", description: "  " }).data).toEqual({
      url: "https://example.com/in?x=1",
      description: null,
      eventTypes: ["*"],
    });
    expect(parse({ url: "http://127.0.0.1:4000/x" }).success).toBe(true);
  });

  it("refuses what the database would, with messages per field", () => {
    const error = (input: object) => parse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(error({ url: "https:example.com" })).toEqual(["url: Enter a full URL without spaces, e.g. https://example.com/webhooks"]);
    expect(error({ url: "https://exa mple.com/x" })?.[0]).toMatch(/^url: /);
    expect(error({ url: "mailto:a@example.com" })).toEqual(["url: The URL must start with https://"]);
    expect(error({ eventTypes: ["person.exploded"] })).toEqual(["eventTypes: Unknown event type: person.exploded"]);
    expect(error({ eventTypes: [] })).toEqual(["eventTypes: Choose at least one event type"]);
  });
});
