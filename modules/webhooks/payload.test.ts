import { describe, expect, it } from "vitest";
import { buildPayload, type WebhookEvent } from "./payload.ts";

const base: Omit<WebhookEvent, "event_type" | "object_type" | "data" | "changes"> = {
  event_id: "5b0c8a5e-7d8e-4c4b-9d63-1f0e2a3b4c5d",
  org_id: "0d7e5c1a-0000-4000-8000-000000000001",
  occurred_at: "2026-03-01 12:00:00.123456+00",
  object_id: "7a1e2b3c-0000-4000-8000-000000000002",
  actor_type: "api_key",
  actor_id: "9f8e7d6c-0000-4000-8000-000000000003",
};

describe("buildPayload", () => {
  it("carries the event and the record as the API represents it", () => {
    const p = buildPayload({
      ...base,
      event_type: "deal.moved",
      object_type: "deal",
      data: {
        id: base.object_id,
        org_id: base.org_id,
        name: "Big one",
        value_minor: "125000",
        position: 3,
        stage_entered_at: "2026-03-01T12:00:00.123456+00:00",
      },
      changes: { stage_id: ["a", "b"], pipeline_id: null, position: [1, 3], status: null, reason: "Signed" },
    });
    expect(p).toMatchObject({
      type: "deal.moved",
      id: base.event_id,
      org_id: base.org_id,
      timestamp: "2026-03-01T12:00:00.123Z",
      actor: { type: "api_key", id: base.actor_id },
      data: { object: "deal", id: base.object_id, name: "Big one", value_minor: 125000 },
      changes: { stage_id: ["a", "b"], reason: "Signed" },
    });
    expect(p.data).not.toHaveProperty("org_id");
    expect(p.data).not.toHaveProperty("position");
    expect(p.changes).not.toHaveProperty("position");
  });

  it("keeps custom field changes and passes non-record events through", () => {
    const person = buildPayload({
      ...base,
      event_type: "person.updated",
      object_type: "person",
      data: { id: base.object_id, first_name: "Ada", custom: { tier: "gold" } },
      changes: { "custom.tier": ["silver", "gold"], search_text: ["a", "b"] },
    });
    expect(person.changes).toEqual({ "custom.tier": ["silver", "gold"] });

    const test = buildPayload({
      ...base,
      event_type: "webhook.test",
      object_type: "webhook_endpoint",
      data: { endpoint_id: base.object_id, url: "https://hooks.example.com/" },
      changes: {},
    });
    expect(test.data).toEqual({ endpoint_id: base.object_id, url: "https://hooks.example.com/" });
  });
});
