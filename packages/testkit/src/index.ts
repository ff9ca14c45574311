export * from "./process.ts";
export * from "./database.ts";
