// The CLI path end to end: a guideline, a shared model and a use case are imported with
// `leitplanken import FILE` (a process of its own, handing the file to the running node through its
// admin socket), published through GraphQL as staff would (the use case submitted by an editor and
// vetted by a vetter), and a follower receives them live; a city that follows afterwards gets the
// same records by backfill.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { guidelineContent, recordIri, sharedModelContentOf, useCaseContentOf, type FederatedRecord, type SharedModel, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { migratedDataFolder, runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { eventually, logged, startNode, type TestNode } from "./harness.ts";

/** What a follower holds of a record: the copy (its arrival time aside) and the document its origin signed. */
async function heldBy(node: TestNode, id: string) {
  const record: FederatedRecord | null = (await node.records.useCases.get(id)) ?? (await node.records.sharedModels.get(id));
  const document = (await node.deps.store.findReceivedDocument(id))?.document ?? null;
  if (record === null || document === null) return null;
  const { receivedAt: _receivedAt, ...provenance } = record.provenance as { receivedAt: string };
  return { record: JSON.stringify({ ...record, provenance }), document: JSON.stringify(document) };
}

describe("records imported with the CLI reach followers once published", () => {
  let scratch: string;
  let env: Record<string, string>;
  let origin: ServeProcess | undefined;
  let b: TestNode;
  let c: TestNode | undefined;
  let editorToken: string;
  let vetterToken: string;
  let actorUrl: string;
  const published: { useCase?: string; model?: string } = {};

  const graphql = async <T = Record<string, unknown>>(token: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${origin!.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!answer.data || answer.errors) throw new Error(`${query}: ${JSON.stringify(answer)}`);
    return answer.data;
  };
  const tokenFor = async (role: string) => {
    const created = await runCli(["token", "create", "--role", role, "--name", `CLI import test ${role}`], env);
    expect(created.code).toBe(0);
    return created.stdout.trim();
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "leitplanken-cli-import-"));
    env = { LEITPLANKEN_DATA_DIR: await migratedDataFolder(join(scratch, "node")), LEITPLANKEN_HANDLE: "attendorn", LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true" };
    [origin, b] = await Promise.all([startServeProcess(env), startNode({ handle: "bochum" })]);
    actorUrl = `${origin.url}/actors/attendorn`;
    // Through the running node's admin socket, as `import` below.
    [editorToken, vetterToken] = await Promise.all([tokenFor("editor"), tokenFor("vetter")]);
    expect(await b.following.followCity(actorUrl)).toMatchObject({ ok: true });
    await logged(b, "backfill done");
    // A serve process, a node, three CLI calls and a backfill: minutes on a busy machine.
  }, 240_000);
  afterAll(async () => {
    await Promise.all([origin?.stop(), b?.stop(), c?.stop()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("imports as drafts through the running node, publishes through GraphQL, and the follower receives them live", async () => {
    // A file as an editor writes it: the records' content, without ids or provenance.
    const demo = demoRecords({ actor: actorUrl, iri: (kind, slug) => recordIri(origin!.url, kind, slug), now: new Date("2026-03-01T09:00:00Z") });
    const file = join(scratch, "import.json");
    await writeFile(
      file,
      JSON.stringify({
        guidelines: [guidelineContent(demo.guidelines[0]!)],
        useCases: [useCaseContentOf(demo.useCases.find((useCase) => useCase.workflow.state === "published")!)],
        models: [sharedModelContentOf(demo.models[0] as SharedModel)],
      }),
    );
    const imported = await runCli(["import", file], env);
    expect(imported).toMatchObject({ code: 0, stderr: "" });
    expect(imported.stdout).toContain("Imported 1 guideline(s), 1 use case(s), 1 model(s) as drafts.");

    type Nodes = { nodes: Array<{ id: string; lockVersion: number }> };
    const drafts = await graphql<{ guidelines: Nodes; models: Nodes; useCases: Nodes }>(
      editorToken,
      `
        {
          guidelines(filter: { currentOnly: false, state: DRAFT, local: true }) {
            nodes {
              id
              lockVersion
            }
          }
          models(filter: { state: DRAFT, local: true }) {
            nodes {
              id
              lockVersion
            }
          }
          useCases(filter: { workflowState: DRAFT, local: true }) {
            nodes {
              id
              lockVersion
            }
          }
        }
      `,
    );
    const [guideline, model, useCase] = [drafts.guidelines.nodes, drafts.models.nodes, drafts.useCases.nodes].map((nodes) => {
      expect(nodes).toHaveLength(1);
      return nodes[0]!;
    }) as [Nodes["nodes"][number], Nodes["nodes"][number], Nodes["nodes"][number]];
    // Drafts do not federate.
    expect(await b.records.useCases.get(useCase.id)).toBeNull();

    const succeeded = async (token: string, mutation: string, variables: Record<string, unknown>) => {
      const answer = await graphql<Record<string, { __typename: string }>>(token, mutation, variables);
      expect(Object.values(answer)[0]!.__typename).toMatch(/Success$/);
    };
    const lockVersion = async (id: string) =>
      (await graphql<{ useCase: { lockVersion: number } }>(editorToken, "query ($id: ID!) { useCase(id: $id) { lockVersion } }", { id })).useCase.lockVersion;
    await succeeded(editorToken, "mutation ($id: ID!, $v: Int!) { publishGuidelineVersion(versionId: $id, lockVersion: $v) { __typename } }", {
      id: guideline.id,
      v: guideline.lockVersion,
    });
    await succeeded(editorToken, "mutation ($id: ID!, $v: Int!) { publishModel(id: $id, lockVersion: $v) { __typename } }", {
      id: model.id,
      v: model.lockVersion,
    });
    await succeeded(editorToken, "mutation ($id: ID!, $v: Int!) { submitUseCase(id: $id, lockVersion: $v) { __typename } }", {
      id: useCase.id,
      v: useCase.lockVersion,
    });
    await succeeded(vetterToken, "mutation ($id: ID!, $v: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $v, guidelineVersionId: $g) { __typename } }", {
      id: useCase.id,
      v: await lockVersion(useCase.id),
      g: guideline.id,
    });
    await succeeded(editorToken, "mutation ($id: ID!, $v: Int!) { publishUseCase(id: $id, lockVersion: $v) { __typename } }", {
      id: useCase.id,
      v: await lockVersion(useCase.id),
    });

    const [heldUseCase, heldModel] = await Promise.all([
      eventually(() => b.records.useCases.get(useCase.id)),
      eventually(() => b.records.sharedModels.get(model.id)),
    ]);
    expect(heldUseCase.workflow.state).toBe("published");
    expect(heldUseCase.provenance).toMatchObject({ source: "received", originActor: actorUrl });
    expect((heldModel as SharedModel).provenance).toMatchObject({ source: "received", originActor: actorUrl });
    published.useCase = useCase.id;
    published.model = model.id;
  });

  it("a city that follows afterwards gets the same records by backfill", async () => {
    expect(published.useCase && published.model).toBeTruthy();
    c = await startNode({ handle: "celle" });
    expect(await c.following.followCity(actorUrl)).toMatchObject({ ok: true });
    await logged(c, "backfill done");
    for (const id of [published.useCase!, published.model!]) {
      const live = await eventually(() => heldBy(b, id));
      const backfilled = await eventually(() => heldBy(c!, id));
      expect(backfilled).toEqual(live);
    }
    expect(((await c.records.useCases.get(published.useCase!)) as UseCase).provenance).toMatchObject({ originActor: actorUrl });
  });
});
