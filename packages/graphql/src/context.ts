import { GraphQLError } from "graphql";
import type { GuidelineRepository, Principal, Role, SharedModelRepository, UseCaseRepository } from "@leitplanken/core";
import type { Loaders } from "./loaders.ts";

/** The repository ports of the core that the API reads and writes (implemented in @leitplanken/db). */
export interface RecordRepositories {
  guidelines: GuidelineRepository;
  useCases: UseCaseRepository;
  sharedModels: SharedModelRepository;
}

/** Kinds of record IRIs the node mints (the same names the core's demo seed uses). */
export type RecordIriKind = "guideline-document" | "guideline" | "use-case" | "model";

/** Who this node is: new local records get its provenance and IRIs. */
export interface NodeIdentity {
  /** Actor IRI of the node's municipality (the Organization actor). */
  actor: string;
  /** The IRI of a new record of `kind`, from a fresh unique slug. */
  recordIri(kind: RecordIriKind, slug: string): string;
}

export interface GraphQLContext {
  /** Null for anonymous (public) requests. */
  principal: Principal | null;
  records: RecordRepositories;
  identity: NodeIdentity;
  loaders: Loaders;
  now(): Date;
}

/** Writes need a signed-in principal with one of `roles`; anything else is refused before any work. */
export function requireRole(context: GraphQLContext, roles: readonly Role[]): Principal {
  const principal = context.principal;
  if (principal === null) {
    throw new GraphQLError("Authentication required: send Authorization: Bearer <token>.", {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    });
  }
  if (!roles.includes(principal.role)) {
    throw new GraphQLError(`The role "${principal.role}" may not do this; allowed: ${roles.join(", ")}.`, {
      extensions: { code: "FORBIDDEN", http: { status: 403 } },
    });
  }
  return principal;
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}
