import { GraphQLError } from "graphql";
import { effectiveNodeSettings } from "@leitplanken/core";
import type { Application } from "@leitplanken/app";
import type {
  AccessTokenStore,
  Adoption,
  AdoptionRepository,
  CatalogHubPort,
  CatalogMembershipPort,
  CatalogEntryReader,
  CatalogModerationStore,
  DeliveryStatusReader,
  DeliveryStore,
  ReceivedDocumentStore,
  FollowingSyncStore,
  DomainBlockStore,
  FollowingPort,
  Guideline,
  GuidelineRepository,
  NetworkRepository,
  ActorDirectory,
  NodeSettings,
  NodeSettingsStore,
  Principal,
  SharedModel,
  SharedModelRepository,
  UseCase,
  UseCaseRepository,
  Versioned,
} from "@leitplanken/core";
import type { RequestCost } from "./limits.ts";
import type { Loaders } from "./loaders.ts";

/** The repository ports of the core that the API reads and writes (implemented in @leitplanken/db). */
export interface RecordRepositories {
  guidelines: GuidelineRepository;
  useCases: UseCaseRepository;
  sharedModels: SharedModelRepository;
  /** Reads that answer a page with one statement instead of one per kind of record (`readUseCaseDetail`, `readGuidelineAndUseCase` of @leitplanken/db). */
  combined: CombinedRecordReads;
}

/** A use case with the models it names (those the node holds) and its verified adoptions, oldest first. */
export interface UseCaseDetail {
  useCase: Versioned<UseCase>;
  models: Versioned<SharedModel>[];
  verifiedAdoptions: Adoption[];
}

export interface CombinedRecordReads {
  useCaseDetail(id: string): Promise<UseCaseDetail | null>;
  guidelineAndUseCase(guidelineId: string, useCaseId: string): Promise<{ guideline: Versioned<Guideline> | null; useCase: Versioned<UseCase> | null }>;
}

/** Who this node is: new local records get its provenance, and IRIs under its origin (core `recordIri`). */
export interface NodeIdentity {
  /** Actor IRI of the node's municipality (the Organization actor). */
  actor: string;
  /** The node's public origin, e.g. `https://ki.dortmund.de`. */
  origin: string;
}

/** What the API needs of federation: following other cities, delivery failures and the domain block list. */
export interface FederationAccess {
  /** The activitypub package's `createFollowingService(...)`. */
  following: FollowingPort;
  /** The core FederationStore (`createFederationRepository(db)` from @leitplanken/db), for failures and blocks. */
  store: Pick<DeliveryStore, "listDeliveryFailures"> &
    DomainBlockStore &
    Pick<ReceivedDocumentStore, "findReceivedDocument"> &
    Pick<FollowingSyncStore, "findSync">;
  /** Domains blocked by configuration: listed, but the API cannot remove them. */
  configuredBlockedDomains?: readonly string[];
  /** Deliveries waiting per inbox and the servers' circuits (`createDeliveryStatusReader(db)` from @leitplanken/db); without it `Follower.delivery` shows none waiting. */
  deliveryStatus?: DeliveryStatusReader;
}

/** The network view across cities (implemented in @leitplanken/db: `createAdoptionRepository`, `createNetworkRepository`). */
export interface NetworkAccess {
  /** Adoption records: `adoptedBy` lists the verified ones. */
  adoptions: AdoptionRepository;
  /** Cities, network statistics and fork lineage. */
  view: NetworkRepository;
}

/** Catalogs, reports, the moderation log and network trust (see schema/catalog.graphql). */
export interface CatalogAccess {
  /** Reads: the core CatalogModerationStore (`createCatalogRepository(db)` from @leitplanken/db). */
  store: CatalogModerationStore;
  /** The catalogs this node hosts: the activitypub package's `createCatalogService(...)`. */
  hub: CatalogHubPort;
  /** This city as a member of catalogs: the activitypub package's `createCatalogMembershipService(...)`. */
  membership: CatalogMembershipPort;
  /** Entries' records and cities' names (`createCatalogEntryReader(...)`); without it `CatalogEntry.record`, `originCityName` and `ruleCheck` are null. */
  entries?: CatalogEntryReader;
}

/** The node's own settings (name, issuing body, contact, legal texts; see schema/settings.graphql). */
export interface SettingsAccess {
  /** `createNodeSettingsRepository(db)` from @leitplanken/db. */
  store: NodeSettingsStore;
  /** From the configuration (core `defaultNodeSettings`); stored overrides win. */
  defaults: NodeSettings;
  /** Told the settings in force after an admin changed them (e.g. the city actor's profile). */
  onChange?: (settings: NodeSettings) => void;
}
/** How the caller proved who they are: a bearer token, or the city's identity provider (in-process, through the pages). */
export type SignInMethod = "api-token" | "identity-provider";

/** The settings in force (an admin's saved ones over the configuration's); null on a node composed without settings. */
export async function currentNodeSettings(context: GraphQLContext): Promise<NodeSettings | null> {
  if (context.settings === undefined) return null;
  return effectiveNodeSettings(context.settings.defaults, await context.settings.store.load()).settings;
}

/** How this node vets use cases (schema: `VettingPolicy`). */
export interface VettingPolicy {
  /** The person who submitted a use case may not vet it; a node may relax this (then the vetting says so). */
  fourEyes: boolean;
}

/** The vetting policy in force: the node settings' (default: the four-eyes principle holds). */
export async function vettingPolicy(context: GraphQLContext): Promise<VettingPolicy> {
  return { fourEyes: (await currentNodeSettings(context))?.fourEyes ?? true };
}

export interface GraphQLContext {
  /** Null for anonymous (public) requests. */
  principal: Principal | null;
  /** Null for anonymous requests. */
  signedInWith: SignInMethod | null;
  /** The id of the API token the caller uses (their own token in `apiTokens`); null otherwise. */
  tokenId: string | null;
  /** API tokens; undefined on a node composed without them (`ACCESS_TOKENS_UNAVAILABLE`). */
  accessTokens: AccessTokenStore | undefined;
  /** Staff may see drafts, records under review and reasons for sending back (see visibility.ts). */
  seesUnpublished: boolean;
  records: RecordRepositories;
  /** Every write goes through the application layer (one use per mutation). */
  app: Application;
  identity: NodeIdentity;
  /** Undefined on a node that does not federate. */
  federation: FederationAccess | undefined;
  /** Undefined on a node composed without the network view. */
  network: NetworkAccess | undefined;
  /** Undefined on a node composed without catalogs. */
  catalogs: CatalogAccess | undefined;
  /** Undefined on a node composed without settings. */
  settings: SettingsAccess | undefined;
  /** Names of other cities and catalogs (federation's actor directory); undefined: none are known. */
  actors: ActorDirectory | undefined;
  /** The caller's address (HTTP: express's `req.ip`); citizens' reports are rate-limited by it. Null when unknown. */
  clientAddress: string | null;
  loaders: Loaders;
  now(): Date;
  /** The operation's cost and the client's budget, once known (reported in `extensions.cost`). */
  cost?: RequestCost;
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

/** The federation parts of the API, or a client error on a node that does not federate. */
export function requireFederation(context: GraphQLContext): FederationAccess {
  if (context.federation === undefined) {
    throw new GraphQLError("This node does not federate: following and domain blocks are not available.", {
      extensions: { code: "FEDERATION_UNAVAILABLE" },
    });
  }
  return context.federation;
}

/** The network view, or a client error on a node composed without it. */
export function requireNetwork(context: GraphQLContext): NetworkAccess {
  if (context.network === undefined) {
    throw new GraphQLError("This node is composed without the network view: cities, network statistics and lineage are not available.", {
      extensions: { code: "NETWORK_UNAVAILABLE" },
    });
  }
  return context.network;
}

/** The API token store, or a client error on a node composed without it. */
export function requireAccessTokens(context: GraphQLContext): AccessTokenStore {
  if (context.accessTokens === undefined) {
    throw new GraphQLError("This node is composed without an API token store: tokens are managed with the CLI.", {
      extensions: { code: "ACCESS_TOKENS_UNAVAILABLE" },
    });
  }
  return context.accessTokens;
}

/** The catalog parts of the API, or a client error on a node composed without them. */
export function requireCatalogs(context: GraphQLContext): CatalogAccess {
  if (context.catalogs === undefined) {
    throw new GraphQLError("This node is composed without catalogs: catalogs, reports, the moderation log and network trust are not available.", {
      extensions: { code: "CATALOGS_UNAVAILABLE" },
    });
  }
  return context.catalogs;
}

/** The node settings, or a client error on a node composed without them. */
export function requireSettings(context: GraphQLContext): SettingsAccess {
  if (context.settings === undefined) {
    throw new GraphQLError("This node is composed without settings: its name, contact and legal texts are not available.", {
      extensions: { code: "SETTINGS_UNAVAILABLE" },
    });
  }
  return context.settings;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
}
