// Issue 15, acceptance: a backup taken while writes are going on restores on a new folder (and
// from PGlite to PostgreSQL): every write acknowledged before the backup is there, the keys are
// the same, and a follower verifies the restored node's next publication. Real `leitplanken`
// processes: the node, `backup` through the running node, `restore` into a new folder and into a
// PostgreSQL schema, `migrate-to-postgres`; the follower checks every signature it receives.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createFederationRepository, openDatabase } from "@leitplanken/db";
import { storageBackends } from "@leitplanken/db/testing";
import { freePort, migratedDataFolder, runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { startFollowerSink, storeAcceptedFollowers, type FollowerSink } from "../../packages/activitypub/src/testing/follower-sink.ts";
import { eventually } from "../federation/harness.ts";
import { modelInput } from "../federation/model-input.ts";

const passphrase = "correct horse battery staple";

describe("backup and restore of a node that is being written to", () => {
  let scratch: string;
  let sink: FollowerSink;
  let port: number;
  let origin: string;
  let editor: string;
  let node: ServeProcess | undefined;
  const schemas: string[] = [];

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "lp-backup-"));
    port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    sink = await startFollowerSink({ followers: 1 });
  });
  afterAll(async () => {
    await node?.stop();
    await sink?.close();
    if (schemas.length > 0) {
      const admin = await openDatabase({ url: process.env.DATABASE_URL });
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    }
    await rm(scratch, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>) => ({
    PORT: String(port),
    LEITPLANKEN_ORIGIN: origin,
    LEITPLANKEN_HANDLE: "hamm",
    LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
    LEITPLANKEN_BACKUP_PASSPHRASE: passphrase,
    ...extra,
  });
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data?: Record<string, unknown> }).data;
  };
  const registerModel = async (name: string) => {
    const data = await graphql("mutation ($input: ModelInput!) { registerModel(input: $input) { __typename ... on ModelSuccess { model { id } } } }", {
      input: { ...modelInput, name: { de: name } },
    });
    const result = data?.registerModel as { __typename: string; model?: { id: string } } | undefined;
    return result?.__typename === "ModelSuccess" ? result.model!.id : undefined;
  };
  const modelIds = async () => {
    const data = await graphql("{ models(first: 100) { totalCount nodes { id } } }");
    return new Set((data!.models as { nodes: { id: string }[] }).nodes.map((model) => model.id));
  };
  const actorKeys = async () => {
    const actor = (await (await fetch(`${origin}/actors/hamm`, { headers: { accept: "application/activity+json" } })).json()) as Record<string, unknown>;
    return { publicKey: actor.publicKey, assertionMethod: actor.assertionMethod };
  };
  /** Publishes a model on the running node and waits until the follower verified its Create. */
  const followerVerifiesNextPublication = async (name: string) => {
    const before = sink.receipts.length;
    const id = await registerModel(name);
    expect(id).toBeDefined();
    await eventually(async () => sink.receipts.slice(before).some((receipt) => receipt.type === "Create"), 60_000);
    expect(sink.refused).toBe(0);
  };

  let backupFile: string;
  let acknowledgedBefore: string[];
  let keysBefore: Awaited<ReturnType<typeof actorKeys>>;

  it("takes a backup through the running node while writes go on", async () => {
    const folder = await migratedDataFolder(join(scratch, "original"));
    editor = (await runCli(["token", "create", "--role", "editor", "--name", "Erika Beispiel"], env({ LEITPLANKEN_DATA_DIR: folder }))).stdout.trim();
    expect(editor).toMatch(/^lp_/);
    const db = await openDatabase({ dataDir: folder });
    await storeAcceptedFollowers(createFederationRepository(db), sink.followers);
    await db.close();
    node = await startServeProcess(env({ LEITPLANKEN_DATA_DIR: folder }));
    keysBefore = await actorKeys();

    // A writer that goes on until told to stop; each acknowledged write with the time it was acknowledged.
    const acknowledged: { id: string; at: number }[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const id = await registerModel(`Modell ${n}`);
        if (id) acknowledged.push({ id, at: Date.now() });
      }
    })();
    await eventually(async () => acknowledged.length >= 5, 60_000);
    backupFile = join(scratch, "hamm.backup");
    const backupStarted = Date.now();
    const backup = await runCli(["backup", backupFile], env({ LEITPLANKEN_DATA_DIR: folder }));
    expect(backup.stderr).toBe("");
    expect(backup.stdout).toMatch(/^Backup written to .*hamm\.backup: \d+ rows in \d+ tables, [\d.]+ MiB, [\d.]+ s\.\n$/);
    expect(backup.code).toBe(0);
    const afterBackup = acknowledged.length;
    await eventually(async () => acknowledged.length >= afterBackup + 3, 60_000);
    writing = false;
    await writer;
    acknowledgedBefore = acknowledged.filter((write) => write.at < backupStarted).map((write) => write.id);
    expect(acknowledgedBefore.length).toBeGreaterThanOrEqual(5);
    expect((await stat(backupFile)).mode & 0o777).toBe(0o600);
    expect((await node.stop()).code).toBe(0);
    node = undefined;
  }, 400_000);

  it("restores on a new folder: the writes acknowledged before the backup, the same keys, and a follower verifies its next publication", async () => {
    const folder = join(scratch, "restored");
    const started = Date.now();
    const restored = await runCli(["restore", backupFile], env({ LEITPLANKEN_DATA_DIR: folder }));
    expect(restored.stderr).toBe("");
    expect(restored.stdout).toMatch(/^Restored the backup of .* into .*restored: \d+ rows in \d+ tables, [\d.]+ s\.\n$/);
    expect(restored.code).toBe(0);
    const restoreMs = Date.now() - started;
    node = await startServeProcess(env({ LEITPLANKEN_DATA_DIR: folder }));
    const ids = await modelIds();
    for (const id of acknowledgedBefore) expect(ids).toContain(id);
    expect(await actorKeys()).toEqual(keysBefore);
    await followerVerifiesNextPublication("Nach der Wiederherstellung");
    expect((await node.stop()).code).toBe(0);
    node = undefined;
    // The round trip's restore half, for the note (the bench measures it on a quiet machine).
    expect(restoreMs).toBeGreaterThan(0);
  }, 400_000);

  it("refuses to restore over a folder that holds a node, with a wrong passphrase, or for another origin", async () => {
    const held = await runCli(["restore", backupFile], env({ LEITPLANKEN_DATA_DIR: join(scratch, "restored") }));
    expect(held.code).toBe(2);
    expect(held.stderr.trim()).toBe(
      `${join(scratch, "restored")} already holds a node's database: set LEITPLANKEN_DATA_DIR to a new folder (or move this one away) and run restore again.`,
    );
    const wrong = await runCli(["restore", backupFile], {
      ...env({ LEITPLANKEN_DATA_DIR: join(scratch, "never") }),
      LEITPLANKEN_BACKUP_PASSPHRASE: "not the passphrase",
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe("The passphrase is wrong, or the backup file was changed: it does not decrypt.");
    const none = await runCli(["restore", backupFile], { ...env({ LEITPLANKEN_DATA_DIR: join(scratch, "never") }), LEITPLANKEN_BACKUP_PASSPHRASE: "" });
    expect(none.stderr.trim()).toBe("This backup is encrypted: give its passphrase in LEITPLANKEN_BACKUP_PASSPHRASE or with --passphrase-file.");
    const elsewhere = await runCli(
      ["restore", backupFile],
      env({ LEITPLANKEN_DATA_DIR: join(scratch, "never"), LEITPLANKEN_ORIGIN: "https://ki.elsewhere.example" }),
    );
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`The backup is of the node at ${origin}`);
    const unencrypted = await runCli(["backup", join(scratch, "plain.backup")], {
      ...env({ LEITPLANKEN_DATA_DIR: join(scratch, "restored") }),
      LEITPLANKEN_BACKUP_PASSPHRASE: "",
    });
    expect(unencrypted.code).toBe(2);
    expect(unencrypted.stderr.trim()).toBe(
      "A backup holds the node's private keys: give a passphrase in LEITPLANKEN_BACKUP_PASSPHRASE or with --passphrase-file, or write it in plain form with --unencrypted.",
    );
    await expect(stat(join(scratch, "never"))).rejects.toMatchObject({ code: "ENOENT" });
  }, 300_000);

  // With DATABASE_URL (CI): from PGlite to PostgreSQL as well.
  if (storageBackends().includes("postgres"))
    it("restores the PGlite backup into PostgreSQL, and migrate-to-postgres moves a stopped node there", async () => {
      const base = process.env.DATABASE_URL!;
      const inSchema = (schema: string) => `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      for (const [how, schema] of [
        ["restore", `backup_test_restore_${process.pid}`],
        ["migrate-to-postgres", `backup_test_move_${process.pid}`],
      ] as const) {
        schemas.push(schema);
        const admin = await openDatabase({ url: base, schema });
        await admin.close();
        const result =
          how === "restore"
            ? await runCli(["restore", backupFile], env({ DATABASE_URL: inSchema(schema) }))
            : await runCli(["migrate-to-postgres", inSchema(schema)], env({ LEITPLANKEN_DATA_DIR: join(scratch, "restored") }));
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        node = await startServeProcess(env({ DATABASE_URL: inSchema(schema) }));
        const ids = await modelIds();
        for (const id of acknowledgedBefore) expect(ids).toContain(id);
        expect(await actorKeys()).toEqual(keysBefore);
        await followerVerifiesNextPublication(`Auf PostgreSQL (${how})`);
        expect((await node.stop()).code).toBe(0);
        node = undefined;
      }
    }, 600_000);
});
