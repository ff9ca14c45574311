/**
 * The flags every `node` that runs Leitplanken gets (package.json's scripts, deploy/, the
 * Dockerfile, the demo and the tests start it this way).
 *
 * `--liftoff-only`: PGlite's WebAssembly (PostgreSQL) is compiled by V8's baseline compiler only.
 * With the optimising tier a PGlite node peaked at about 850 MiB resident while starting and sat
 * at 390 MiB; with this flag at 380 and 310 MiB, and pages and queries were not slower (the
 * optimising compiler's own work cost more than its faster code won back). V8 calls the flag one
 * for testing; docs/adr/0045-pglite-memory.md says why we use it and how to go back.
 *
 * `--max-semi-space-size=8`: V8's young generation grows to 2 × 32 MB by default and stays resident;
 * at 8 MB an idle restarted PGlite node held 265 instead of 305 MiB, for a few more (short)
 * scavenges under load (docs/adr/0150-young-generation-size.md).
 */
export const nodeFlags = ["--liftoff-only", "--max-semi-space-size=8"] as const;
