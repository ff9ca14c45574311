import { type Action, authorize, describeAuthorizationError, nodeTrustAction, type Principal } from "@leitplanken/core";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { GraphQLContext } from "./context.ts";
import type { MutationChangeTrustListArgs, MutationResolvers, MutationSetTrustModeArgs } from "./generated/resolvers.ts";

type MutationName = Exclude<keyof MutationResolvers, "__isTypeOf">;

type Args = Record<string, unknown>;

/**
 * A moderation step whose refusals are themselves logged (confidentially) by the workflow:
 * here only a signed-in caller is required, and core's workflow checks the same row of the
 * table and writes the refused attempt to the moderation log.
 */
interface CheckedByWorkflow {
  checkedByWorkflow: (args: Args) => Action;
}

type MutationPermission = Action | ((args: Args) => Action) | CheckedByWorkflow;

/**
 * The permission (core's table) each mutation needs, checked before its resolver runs, so a
 * wrong role is refused before any lookup whatever the arguments. A new mutation is a type
 * error here until it names its row; a new kind of action is a row in core's `permissions.ts`.
 * Trust changes depend on their scope: a catalog's trust is its moderators' (checked by the
 * catalog service), the node's is the table's `node-trust.*`.
 */
export const mutationPermissions: Record<MutationName, MutationPermission> = {
  createGuideline: "guideline.edit",
  createGuidelineDraft: "guideline.edit",
  updateGuidelineDraft: "guideline.edit",
  publishGuidelineVersion: "guideline.publish",
  forkGuideline: "guideline.fork",
  createUseCase: "use-case.edit",
  updateUseCase: "use-case.edit",
  patchUseCase: "use-case.edit",
  adoptUseCase: "use-case.edit",
  submitUseCase: "use-case.submit",
  sendBackUseCase: "use-case.send-back",
  vetUseCase: "use-case.vet",
  publishUseCase: "use-case.publish",
  retireUseCase: "use-case.retire",
  registerModel: "model.edit",
  updateModel: "model.edit",
  publishModel: "model.edit",
  retireModel: "model.edit",
  followCity: "federation.follow",
  unfollowCity: "federation.follow",
  blockDomain: "node-trust.domains",
  unblockDomain: "node-trust.domains",
  createCatalog: "catalog.configure",
  updateCatalog: "catalog.configure",
  approveCatalogEntry: "catalog.moderate",
  rejectCatalogEntry: "catalog.moderate",
  removeCatalogEntry: "catalog.moderate",
  moderateCatalogMember: "catalog.moderate",
  // A catalog's report: its moderators (the service checks); the node's: node-reports.handle (core checks the role).
  closeReport: "catalog.moderate",
  reportRecord: "report.file",
  setTrustMode: { checkedByWorkflow: (args) => ((args as MutationSetTrustModeArgs).catalogId ? "catalog.moderate" : "node-trust.domains") },
  changeTrustList: {
    checkedByWorkflow: (args) => {
      const { catalogId, action, subject, value } = args as MutationChangeTrustListArgs;
      if (catalogId) return "catalog.moderate";
      const type = action === "block" || action === "allow" ? "add" : "remove";
      const list = `${action === "block" || action === "unblock" ? "blocked" : "allowed"}-${subject}` as const;
      return nodeTrustAction({ type, list, value });
    },
  },
  joinCatalog: "catalog.membership",
  leaveCatalog: "catalog.membership",
  submitToCatalog: "catalog.membership",
  moderateRemoteCatalogEntry: "catalog.moderate-remote",
  reportToCatalog: "catalog.report-remote",
  updateNodeSettings: "node.settings",
  createApiToken: "api-tokens.manage",
  revokeApiToken: "api-tokens.manage",
};

/** The permission a mutation call needs (the table's row), and whether the workflow checks and logs it. */
export function mutationPermission(name: string, args: Args): { action: Action; checkedByWorkflow: boolean } {
  const entry = mutationPermissions[name as MutationName];
  if (entry === undefined) throw new Error(`The mutation ${name} has no row in mutationPermissions`);
  if (typeof entry === "object") return { action: entry.checkedByWorkflow(args), checkedByWorkflow: true };
  return { action: typeof entry === "function" ? entry(args) : entry, checkedByWorkflow: false };
}

/**
 * The caller may take the action, or the request ends here: 401 without a principal, 403 with a
 * role the table does not list. Returns the principal (null only for actions open to anyone).
 */
export function requirePermission(context: Pick<GraphQLContext, "principal">, action: Action): Principal {
  const decision = authorize(context.principal, action);
  if (!decision.ok) {
    const message = describeAuthorizationError(decision.error);
    const unauthenticated = decision.error.type === "unauthenticated";
    throw new GraphQLError(message.en, {
      extensions: {
        code: unauthenticated ? "UNAUTHENTICATED" : "FORBIDDEN",
        action,
        localizedMessage: message,
        http: { status: unauthenticated ? 401 : 403 },
      },
    });
  }
  return context.principal as Principal;
}

/** The principal of a mutation that the permission check let through (see `guardMutations`). */
export function actingPrincipal(context: Pick<GraphQLContext, "principal">): Principal {
  if (context.principal === null) throw new Error("a mutation that needs a principal ran without one: is its permission `anyone`?");
  return context.principal;
}

/**
 * Wraps every mutation's resolver with its permission check (one place, before any lookup).
 * Steps checked by a workflow need a signed-in caller here (`catalog.moderate` is that row).
 */
export function guardMutations(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  for (const [name, field] of Object.entries(mutation.getFields())) {
    const resolve = field.resolve;
    if (!resolve) throw new Error(`The mutation ${name} has no resolver`);
    field.resolve = (source, args, context: GraphQLContext, info) => {
      const { action, checkedByWorkflow } = mutationPermission(name, args);
      requirePermission(context, checkedByWorkflow ? "catalog.moderate" : action);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}
