// Names of other cities from their ActivityPub actors, between real nodes on loopback: read when
// first asked for, kept, refreshed when old; a node that is down is remembered and not asked on
// every page; a blocked domain is never asked.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createActorDirectory } from "@leitplanken/activitypub";
import { createActorProfileRepository } from "@leitplanken/db";
import { eventually, startNode, startNodes, type TestNode } from "./harness.ts";

let dortmund: TestNode;
let muenster: TestNode;
let bochum: TestNode;
beforeAll(async () => {
  const nodes = await startNodes("dortmund", "muenster", "bochum");
  [dortmund, muenster, bochum] = [nodes[0]!, nodes[1]!, nodes[2]!];
  muenster.deps.city.name = "Stadt Münster";
  muenster.deps.city.municipalityId = "05515000";
});
afterAll(async () => {
  await Promise.all([dortmund?.stop(), muenster?.stop(), bochum?.stop()]);
});

describe("the actor directory", () => {
  it("reads a city's name, municipality id and website when first asked, and keeps them", async () => {
    const store = createActorProfileRepository(dortmund.db);
    const directory = createActorDirectory(dortmund.federation, dortmund.deps, { store });
    const profiles = await directory.profiles([muenster.actorUrl, "not a url"]);
    expect(profiles.get(muenster.actorUrl)).toMatchObject({
      kind: "city",
      name: "Stadt Münster",
      municipalityId: "05515000",
      website: "https://muenster.example/",
    });
    expect((await store.findActorProfiles([muenster.actorUrl])).profiles).toHaveLength(1);

    // Renamed: served as kept until the profile is old, then read again behind the page.
    muenster.deps.city.name = "Stadt Münster (Westf.)";
    expect((await directory.profiles([muenster.actorUrl])).get(muenster.actorUrl)?.name).toBe("Stadt Münster");
    const later = createActorDirectory(dortmund.federation, dortmund.deps, { store, now: () => new Date(Date.now() + 2 * 24 * 3600 * 1000) });
    expect(await later.refresh()).toBe(0); // nothing the node holds or follows yet: refresh reads only those
    await later.profiles([muenster.actorUrl]);
    await eventually(async () => (await store.findActorProfiles([muenster.actorUrl])).profiles[0]?.name === "Stadt Münster (Westf.)");
  });

  it("remembers a node that cannot be read and does not ask it again within the hour", async () => {
    const store = createActorProfileRepository(dortmund.db);
    const directory = createActorDirectory(dortmund.federation, dortmund.deps, { store });
    await bochum.goOffline();
    try {
      expect((await directory.profiles([bochum.actorUrl])).size).toBe(0);
      expect((await store.findActorProfiles([bochum.actorUrl])).failures).toHaveLength(1);
      await bochum.comeOnline();
      expect((await directory.profiles([bochum.actorUrl])).size).toBe(0);
      const inAnHour = createActorDirectory(dortmund.federation, dortmund.deps, { store, now: () => new Date(Date.now() + 3_700_000) });
      expect((await inAnHour.profiles([bochum.actorUrl])).get(bochum.actorUrl)?.name).toBe("Stadt bochum");
    } finally {
      await bochum.comeOnline().catch(() => {});
    }
  });

  it("never asks a blocked domain", async () => {
    const blocking = await startNode({ handle: "herne", blockedDomains: [new URL(muenster.origin).hostname] });
    try {
      const store = createActorProfileRepository(blocking.db);
      const directory = createActorDirectory(blocking.federation, blocking.deps, { store });
      expect((await directory.profiles([muenster.actorUrl])).size).toBe(0);
      expect((await store.findActorProfiles([muenster.actorUrl])).failures[0]?.reason).toMatch(/block/i);
    } finally {
      await blocking.stop();
    }
  });
});
