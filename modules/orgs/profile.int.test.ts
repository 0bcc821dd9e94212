import { describe, expect, it } from "vitest";
import { sessionOf } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { userTimeZone } from "@/lib/time";
import { createMember, createUser, useTestDatabase } from "@/tests/support/db";
import { saveProfile } from "./profile";

const t = useTestDatabase();

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("expected a refusal"),
    (e: unknown) => {
      expect(e).toBeInstanceOf(DomainError);
      return e as DomainError;
    },
  );

describe("the profile's time zone", () => {
  it("is the member's zone once set, else their browser's, else UTC", async () => {
    const u = await createUser(t);
    const zoneOf = async (browser: string | null) => {
      const session = await sessionOf(t.db, u.claims);
      return userTimeZone(session?.user.timeZone, browser);
    };
    expect(await zoneOf(null)).toBe("UTC");
    expect(await zoneOf("America/New_York")).toBe("America/New_York");
    expect(await zoneOf("Not/A_Zone")).toBe("UTC");

    await t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Tia Zone", timeZone: "Pacific/Auckland" }));
    expect((await sessionOf(t.db, u.claims))?.user.timeZone).toBe("Pacific/Auckland");
    expect(await zoneOf("America/New_York")).toBe("Pacific/Auckland");

    // A save without the field leaves the zone; an empty one follows the browser again.
    await t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Tia Zone" }));
    expect(await zoneOf("America/New_York")).toBe("Pacific/Auckland");
    await t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Tia Zone", timeZone: "" }));
    expect(await zoneOf("America/New_York")).toBe("America/New_York");
  });

  it("refuses what is not an IANA zone name with a 422 on the time zone field, and writes nothing", async () => {
    const u = await createUser(t);
    for (const bad of ["Mars/Olympus_Mons", "+13:00", "GMT+13 ", "Pacific/Auckland; drop table profiles", "x".repeat(80)]) {
      const e = await refusal(t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Renamed", timeZone: bad })));
      expect(e.status).toBe(422);
      expect(e.details).toEqual({ timeZone: ["Choose a time zone from the list"] });
    }
    const [row] = await t.admin`select full_name, time_zone from profiles where user_id = ${u.id}`;
    expect(row).toEqual({ full_name: "Test User", time_zone: null });
  });

  it("is checked by the database too, whoever writes it", async () => {
    const u = await createUser(t);
    await expect(
      t.db.asUser(u.claims, (tx) => tx.updateTable("profiles").set({ time_zone: "Mars/Olympus_Mons" }).where("user_id", "=", u.id).execute()),
    ).rejects.toMatchObject({ code: "23514", constraint_name: "profiles_time_zone_check" });
    await expect(t.admin`update profiles set time_zone = 'EST' where user_id = ${u.id}`).resolves.toBeDefined();
    await expect(t.admin`update profiles set time_zone = '+02' where user_id = ${u.id}`).rejects.toMatchObject({ code: "23514" });
  });

  it("is the member's own: another member cannot set it", async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    await t.db.asUser(b.claims, (tx) => saveProfile(tx, a.id, { fullName: "Hijacked", timeZone: "Asia/Tokyo" }));
    const [row] = await t.admin`select full_name, time_zone from profiles where user_id = ${a.id}`;
    expect(row).toEqual({ full_name: "Test User", time_zone: null });
  });
});

describe("the profile's phone", () => {
  it("is stored in E.164 however it is written, read by the org's members, cleared by an empty field and left by an absent one", async () => {
    const u = await createUser(t);
    const phoneOf = async () => (await t.admin`select phone from profiles where user_id = ${u.id}`)[0].phone as string | null;
    await t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Pat Phone", phone: "(415) 555-0137" }));
    expect(await phoneOf()).toBe("+14155550137");
    await t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Pat Phone", phone: "+44 20 7946 0018" }));
    expect(await phoneOf()).toBe("+442079460018");
    await t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Pat Phone" }));
    expect(await phoneOf()).toBe("+442079460018");

    const colleague = await createMember(t, u.orgId, "member");
    const seen = await t.db.asUser(colleague.claims, (tx) => tx.selectFrom("profiles").select("phone").where("user_id", "=", u.id).executeTakeFirst());
    expect(seen?.phone).toBe("+442079460018");
    const stranger = await createUser(t);
    const hidden = await t.db.asUser(stranger.claims, (tx) => tx.selectFrom("profiles").select("phone").where("user_id", "=", u.id).executeTakeFirst());
    expect(hidden).toBeUndefined();

    await t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Pat Phone", phone: "" }));
    expect(await phoneOf()).toBeNull();
  });

  it("refuses what is not a phone number with a 422 on the phone field, and writes nothing", async () => {
    const u = await createUser(t);
    for (const bad of ["12", "not a number", "+1 415 555 0137 ext. 12", "+999 1234 5678"]) {
      const e = await refusal(t.db.asUser(u.claims, (tx) => saveProfile(tx, u.id, { fullName: "Renamed", phone: bad })));
      expect(e.status).toBe(422);
      expect(Object.keys(e.details ?? {})).toEqual(["phone"]);
      expect(e.details?.phone[0]).toMatch(/phone number|extension/);
    }
    const [row] = await t.admin`select full_name, phone from profiles where user_id = ${u.id}`;
    expect(row).toEqual({ full_name: "Test User", phone: null });
    // The database holds to E.164 whoever writes.
    await expect(t.admin`update profiles set phone = '415-555-0137' where user_id = ${u.id}`).rejects.toMatchObject({ code: "23514" });
  });

  it("is the member's own: another member of the org cannot set it", async () => {
    const u = await createUser(t);
    const colleague = await createMember(t, u.orgId, "admin");
    await t.db.asUser(colleague.claims, (tx) => saveProfile(tx, u.id, { fullName: "Hijacked", phone: "+14155550199" }));
    const [row] = await t.admin`select phone from profiles where user_id = ${u.id}`;
    expect(row.phone).toBeNull();
  });
});
