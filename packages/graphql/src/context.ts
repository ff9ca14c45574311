import { GraphQLError } from "graphql";
import type { GuidelineRepository, Principal, RecordEvent, Role, SharedModelRepository, UseCaseRepository } from "@leitplanken/core";
import type { Loaders } from "./loaders.ts";

/** The repository ports of the core that the API reads and writes (implemented in @leitplanken/db). */
export interface RecordRepositories {
  guidelines: GuidelineRepository;
  useCases: UseCaseRepository;
  sharedModels: SharedModelRepository;
}

/** Who this node is: new local records get its provenance, and IRIs under its origin (core `recordIri`). */
export interface NodeIdentity {
  /** Actor IRI of the node's municipality (the Organization actor). */
  actor: string;
  /** The node's public origin, e.g. `https://ki.dortmund.de`. */
  origin: string;
}

export interface GraphQLContext {
  /** Null for anonymous (public) requests. */
  principal: Principal | null;
  records: RecordRepositories;
  identity: NodeIdentity;
  loaders: Loaders;
  now(): Date;
  /** Tells federation about a committed change; never fails the request. */
  announce(event: RecordEvent): Promise<void>;
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
