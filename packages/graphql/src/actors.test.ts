import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createActorProfileRepository } from "@leitplanken/db";
import type { ActorDirectory, ActorProfile } from "@leitplanken/core";
import { guidelineVia } from "./testing/records.fixture.ts";
import { startTestApi, testActor, type TestApi } from "./testing/test-api.ts";

const muenster = "https://ki.muenster.example/actors/muenster";

describe("names of cities", () => {
  let api: TestApi;
  beforeAll(async () => {
    // The directory as federation composes it reads the store first; these names are in the store.
    api = await startTestApi({
      deps: {
        actors: {
          profiles: async (ids) => {
            const { profiles } = await createActorProfileRepository(api.db).findActorProfiles(ids);
            return new Map(profiles.map((profile) => [profile.id, profile]));
          },
        } satisfies ActorDirectory,
      },
    });
    const profile: ActorProfile = {
      id: muenster,
      kind: "city",
      name: "Stadt Münster",
      municipalityId: "05515000",
      website: null,
      fetchedAt: new Date().toISOString(),
    };
    await createActorProfileRepository(api.db).saveActorProfile(profile);
    await guidelineVia(api);
  });
  afterAll(() => api.close());

  it("name this node's own city from its settings and other cities from their actors", async () => {
    const { data } = await api.graphql<{ actorProfiles: { id: string; name: string; kind: string; municipalityId: string; register: string }[] }>(
      `query ($ids: [String!]!) { actorProfiles(ids: $ids) { id name kind municipalityId register } }`,
      { ids: [muenster, testActor, "https://unknown.example/actors/x", "not a url"] },
    );
    expect(data?.actorProfiles).toEqual([
      { id: muenster, name: "Stadt Münster", kind: "CITY", municipalityId: "05515000", register: "https://ki.muenster.example/" },
      { id: testActor, name: "Stadt Dortmund", kind: "CITY", municipalityId: "05913000", register: "https://ki.dortmund.example/" },
    ]);
    const own = await api.graphql<{ guidelines: { nodes: { provenance: { originCityName: string } }[] } }>(
      "{ guidelines(first: 1) { nodes { provenance { originCityName } } } }",
    );
    expect(own.data?.guidelines.nodes[0]?.provenance.originCityName).toBe("Stadt Dortmund");
  });

  it("refuse more than 200 ids at once", async () => {
    const ids = Array.from({ length: 201 }, (_, index) => `https://city${index}.example/actor`);
    const refused = await api.graphql(`query ($ids: [String!]!) { actorProfiles(ids: $ids) { id } }`, { ids });
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
