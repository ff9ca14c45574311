import { nodeFlags } from "./node-flags.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { openDatabase, pgliteTemplate } from "@leitplanken/db";

/**
 * `pnpm demo`: starts the local demo network of federation/demo-network.json, each node its
 * own process with its own PGlite folder (under DEMO_DATA_DIR, default ./data/demo), lets
 * the cities follow each other as the file says, prints the URLs, stops on Ctrl-C.
 */
const networkSchema = z.object({
  nodes: z
    .array(
      z.object({
        handle: z.string().regex(/^[a-z0-9_-]+$/),
        name: z.string().min(1),
        seed: z.boolean(),
        follows: z.array(z.string()).default([]),
        catalogs: z
          .array(
            z.object({
              handle: z.string().regex(/^[a-z0-9_-]+$/),
              name: z.object({ de: z.string(), en: z.string() }),
              description: z.object({ de: z.string(), en: z.string() }),
              members: z.array(z.string()).default([]),
              submits: z.array(z.string()).default([]),
            }),
          )
          .default([]),
      }),
    )
    .min(1),
});

const root = resolve(import.meta.dirname, "../../..");
const network = networkSchema
  .superRefine(({ nodes }, context) => {
    const handles = new Set(nodes.map((node) => node.handle));
    const references = nodes.flatMap((node) => [
      ...node.follows.map((handle) => [`${node.handle} follows`, handle]),
      ...node.catalogs.flatMap((catalog) => [...catalog.members, ...catalog.submits].map((handle) => [`catalog ${catalog.handle} lists`, handle])),
    ]);
    for (const [where, handle] of references)
      if (!handles.has(handle!)) context.addIssue({ code: "custom", message: `${where} "${handle}", which is not a node of the network` });
  })
  .parse(JSON.parse(await readFile(resolve(root, "federation/demo-network.json"), "utf8")));
const basePort = Number(process.env.DEMO_BASE_PORT ?? 8081);
if (!Number.isInteger(basePort) || basePort < 1 || basePort + network.nodes.length > 65535) {
  console.error(`DEMO_BASE_PORT must be a port number (got "${process.env.DEMO_BASE_PORT}").`);
  process.exit(2);
}
const cli = resolve(import.meta.dirname, "cli.ts");
const dataRoot = resolve(process.env.DEMO_DATA_DIR || resolve(root, "data/demo"));

const nodes = network.nodes.map((node, index) => {
  const port = basePort + index;
  const origin = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LEITPLANKEN_ORIGIN: origin,
    LEITPLANKEN_HANDLE: node.handle,
    LEITPLANKEN_NAME: node.name,
    LEITPLANKEN_DATA_DIR: resolve(dataRoot, node.handle),
    // The demo cities federate over localhost.
    LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    DATABASE_URL: "",
  };
  return { ...node, origin, actor: `${origin}/actors/${node.handle}`, env, tokenFile: resolve(dataRoot, `${node.handle}-admin-token.txt`) };
});

// New demo cities start from a migrated database made once from a cached dump and copied
// (a closed PostgreSQL data folder is plain files): no initdb per city.
await mkdir(dataRoot, { recursive: true });
const fresh = nodes.filter((node) => !existsSync(node.env.LEITPLANKEN_DATA_DIR!));
if (fresh.length > 0) {
  const prototype = resolve(dataRoot, `.prototype-${process.pid}`);
  const db = await openDatabase({ dataDir: prototype, loadDataDir: await pgliteTemplate(true) });
  await db.close();
  // Copied under a temporary name and renamed, so an interrupted start never leaves half a city.
  for (const node of fresh) {
    const partial = `${node.env.LEITPLANKEN_DATA_DIR}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(prototype, partial, { recursive: true });
    await rename(partial, node.env.LEITPLANKEN_DATA_DIR!);
  }
  await rm(prototype, { recursive: true, force: true });
}

// Each demo city gets an admin token on its first start, kept beside its data for later runs.
const children: ChildProcess[] = nodes.map((node) =>
  spawn(process.execPath, [...nodeFlags, cli, "serve", "--admin-token-file", node.tokenFile, ...(node.seed ? ["--seed-demo"] : [])], {
    cwd: root,
    env: node.env,
    stdio: ["ignore", "inherit", "inherit"],
  }),
);

let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  void Promise.all(children.map(exited)).then(() => process.exit(code));
}
const exited = (child: ChildProcess) => new Promise<void>((done) => (child.exitCode !== null ? done() : child.once("exit", () => done())));

children.forEach((child, index) => {
  child.once("exit", (code) => {
    if (!stopping) {
      console.error(`Demo node "${nodes[index]!.handle}" stopped unexpectedly (exit code ${code}); stopping the demo.`);
      stopAll(1);
    }
  });
});
process.once("SIGINT", () => stopAll(0));
process.once("SIGTERM", () => stopAll(0));

async function waitUntilHealthy(origin: string, deadline: number): Promise<void> {
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error(`${origin} did not answer within 120 s`);
}

type DemoNode = (typeof nodes)[number];

/** Runs an operation on `node`'s GraphQL API as its admin; returns the named field's result type name. */
async function asAdmin(node: DemoNode, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${node.origin}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${(await readFile(node.tokenFile, "utf8")).trim()}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
}

/** Reports a step of setting up the demo that did not work (the demo goes on without it). */
async function step(what: string, run: () => Promise<string>, expected: RegExp): Promise<void> {
  try {
    const outcome = await run();
    if (!expected.test(outcome)) console.error(`${what}: ${outcome}`);
  } catch (error) {
    console.error(`${what}: ${(error as Error).message}`);
  }
}

const outcomeOf = (data: Record<string, unknown>, field: string) => (data[field] as { __typename: string }).__typename;

const follow = (node: DemoNode, target: string) =>
  step(
    `${node.handle} could not follow ${target}`,
    async () => outcomeOf(await asAdmin(node, "mutation ($target: String!) { followCity(target: $target) { __typename } }", { target }), "followCity"),
    /^FollowCitySuccess$/,
  );

/** The hub's catalogs: created once (a second run finds the handle taken), joined, and one use case submitted per listed member. */
async function setUpCatalogs(byHandle: Map<string, DemoNode>): Promise<void> {
  for (const hub of nodes) {
    for (const catalog of hub.catalogs) {
      await step(
        `${hub.handle} could not create the catalog ${catalog.handle}`,
        async () =>
          outcomeOf(
            await asAdmin(hub, "mutation ($input: CatalogSettingsInput!) { createCatalog(input: $input) { __typename } }", {
              input: {
                handle: catalog.handle,
                name: catalog.name,
                description: catalog.description,
                moderators: [{ name: `Admin ${hub.name}` }],
                policy: { acceptedKinds: ["USE_CASE", "GUIDELINE", "MODEL"], openTo: "MEMBERS", memberApprovalRequired: false },
              },
            }),
            "createCatalog",
          ),
        /^(CatalogSuccess|HandleTakenError)$/,
      );
      const catalogIri = `${hub.origin}/actors/${catalog.handle}`;
      await Promise.all(
        catalog.members.map((handle) =>
          step(
            `${handle} could not join ${catalog.handle}`,
            async () =>
              outcomeOf(
                await asAdmin(byHandle.get(handle)!, "mutation ($c: String!) { joinCatalog(catalog: $c) { __typename } }", { c: catalogIri }),
                "joinCatalog",
              ),
            /^FollowCitySuccess$/,
          ),
        ),
      );
      for (const handle of catalog.submits) {
        const member = byHandle.get(handle)!;
        await step(
          `${handle} could not submit to ${catalog.handle}`,
          async () => {
            const listed = await asAdmin(member, "{ useCases(first: 1, filter: { local: true, workflowState: PUBLISHED }) { nodes { id } } }", {});
            const first = (listed.useCases as { nodes: { id: string }[] }).nodes[0];
            if (!first) return "no published use case to submit";
            return outcomeOf(
              await asAdmin(member, "mutation ($c: String!, $r: ID!) { submitToCatalog(catalog: $c, recordId: $r) { __typename } }", {
                c: catalogIri,
                r: first.id,
              }),
              "submitToCatalog",
            );
          },
          /Success$|AlreadyInCatalog/,
        );
      }
    }
  }
}

/**
 * People to try the staff journeys with, one token each per city: the admin token is the shared
 * setup account and cannot vet, and the four-eyes principle wants a second person to vet.
 */
const demoPeople = [
  { file: "editor", name: "Erika Redakteurin", role: "EDITOR" },
  { file: "vetter", name: "Viktor Prüfer", role: "VETTER" },
] as const;

const personalTokenFile = (node: DemoNode, person: (typeof demoPeople)[number]) => resolve(dataRoot, `${node.handle}-${person.file}-token.txt`);

async function createPersonalTokens(node: DemoNode): Promise<void> {
  for (const person of demoPeople) {
    const file = personalTokenFile(node, person);
    if (existsSync(file)) continue;
    await step(
      `${node.handle} could not create a token for ${person.name}`,
      async () => {
        const data = await asAdmin(
          node,
          "mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { __typename ... on CreateApiTokenSuccess { secret } } }",
          { input: { name: person.name, role: person.role } },
        );
        const created = data.createApiToken as { __typename: string; secret?: string };
        if (created.secret) await writeFile(file, `${created.secret}\n`, { mode: 0o600, flag: "wx" });
        return created.__typename;
      },
      /^CreateApiTokenSuccess$/,
    );
  }
}

try {
  const deadline = Date.now() + 120_000;
  await Promise.all(nodes.map(({ origin }) => waitUntilHealthy(origin, deadline)));
  console.log("\nLeitplanken demo network is running:");
  for (const node of nodes) console.log(`  ${node.name.padEnd(28)} ${node.origin}/`);
  console.log(`\nGraphQL: ${nodes[0]!.origin}/graphql    Staff sign-in: ${nodes[0]!.origin}/staff/sign-in`);
  console.log(`Admin tokens of the demo cities: ${dataRoot}/<city>-admin-token.txt (shared setup accounts: they cannot vet)`);
  console.log(`An editor's and a vetter's token per city: ${dataRoot}/<city>-editor-token.txt, <city>-vetter-token.txt`);
  console.log("Stop with Ctrl-C.\n");
  const byHandle = new Map(nodes.map((node) => [node.handle, node]));
  await Promise.all(nodes.map(createPersonalTokens));
  await Promise.all(nodes.flatMap((node) => node.follows.map((handle) => follow(node, byHandle.get(handle)!.actor))));
  await setUpCatalogs(byHandle);
  console.log("The demo cities follow each other and belong to the catalogs; what they publish reaches the others.");
} catch (error) {
  console.error((error as Error).message);
  stopAll(1);
}
