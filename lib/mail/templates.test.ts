import { describe, expect, it } from "vitest";
import { inviteEmail } from "./templates";

describe("invite email", () => {
  it("shows the expiry in the given zone and names the zone", () => {
    const mail = inviteEmail({
      orgName: "Kiwi Co",
      inviterName: "Tui",
      role: "member",
      url: "https://covey.example/invite/abc",
      expiresAt: new Date("2026-12-14T20:30:00Z"),
      timeZone: "Pacific/Auckland",
    });
    expect(mail.text).toMatch(/expires on Dec 15, 2026, 9:30\sAM \(Pacific\/Auckland time\)\./);
    expect(mail.html).toMatch(/expires on Dec 15, 2026, 9:30\sAM \(Pacific\/Auckland time\)\./);
  });
});
