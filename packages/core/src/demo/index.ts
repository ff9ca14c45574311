// The demo city's records (\`pnpm demo\`, \`serve --seed-demo\`, tests): a subpath of their own
// (\`@leitplanken/core/demo\`), not part of core's entry point.
export * from "./demo-records.ts";
