export * from "./database.ts";
export * from "./federation.repository.ts";
