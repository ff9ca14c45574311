import DataLoader from "dataloader";
import {
  effectiveNodeSettings,
  type ActorDirectory,
  type ActorProfile,
  type Adoption,
  type DeliveryFailureRecord,
  type Guideline,
  type InboxDeliveryStatus,
  type NetworkCity,
  type SharedModel,
  type UseCase,
  type Versioned,
} from "@leitplanken/core";
import type { FederationAccess, NetworkAccess, NodeIdentity, RecordRepositories, SettingsAccess } from "./context.ts";
import { isPublicGuideline, isPublicModel, isPublicUseCase } from "./visibility.ts";

/**
 * Per-request loaders: one query per kind for all ids a response needs (no N+1), cached for the
 * request only. For a caller who may not see unpublished records they return none (null, left out).
 */
export interface Loaders {
  guideline: DataLoader<string, Guideline | null>;
  /** All versions of a guideline document, oldest first. */
  guidelineVersions: DataLoader<string, Guideline[]>;
  useCase: DataLoader<string, UseCase | null>;
  sharedModel: DataLoader<string, SharedModel | null>;
  /** Verified adoption records per origin use case IRI, oldest first (empty without the network view). */
  verifiedAdoptions: DataLoader<string, Adoption[]>;
  /** Permanent delivery failures per follower actor IRI, newest first. */
  deliveryFailures: DataLoader<string, DeliveryFailureRecord[]>;
  /** Deliveries waiting per inbox URL, with its server's circuit (null without a delivery status reader). */
  deliveryStatus: DataLoader<string, InboxDeliveryStatus | null>;
  /** The `lockVersion` of records by IRI (one read per kind and request); a mutation primes the one it stored. */
  lockVersions: { guideline: DataLoader<string, number>; useCase: DataLoader<string, number>; model: DataLoader<string, number> };
  /** The profile of an actor IRI: this node's city from its settings, others from the actor directory; null when unknown. */
  actorProfile: DataLoader<string, ActorProfile | null>;
  /** A city this node knows, by its actor IRI (one read of the network view per request); null when unknown or without the network view. */
  city: DataLoader<string, NetworkCity | null>;
  /**
   * `useCase.load(id)`, with the models it names and its verified adoptions read in the same
   * statement and primed into `sharedModel`, `verifiedAdoptions` and the lock versions: for a
   * response that shows them.
   */
  useCaseWithRelations(id: string): Promise<UseCase | null>;
  /** `guideline.load(guidelineId)` and `useCase.load(useCaseId)` with one statement. */
  guidelineAndUseCase(guidelineId: string, useCaseId: string): Promise<[Guideline | null, UseCase | null]>;
}

/** Our own city as an actor profile: its name and municipality id from the node settings. */
async function ownProfile(identity: NodeIdentity, settings: SettingsAccess | undefined): Promise<ActorProfile> {
  const effective = settings ? effectiveNodeSettings(settings.defaults, await settings.store.load()).settings : undefined;
  const id = effective?.issuingBody.organisationId;
  return {
    id: identity.actor,
    kind: "city",
    name: effective?.cityName ?? null,
    municipalityId: id?.scheme === "AGS" ? id.value : null,
    website: effective?.website ?? null,
    fetchedAt: new Date().toISOString(),
  };
}

/** A lockVersion loader; a record that vanished in between reads as 0 (no write can name it). */
const lockVersionLoader = (read: (ids: readonly string[]) => Promise<(number | null)[]>) =>
  new DataLoader<string, number>(async (ids) => (await read(ids)).map((version) => version ?? 0));

/** One read for one follower; for a list of followers one read of all failures, grouped here. */
async function deliveryFailuresOf(federation: FederationAccess | undefined, actorIds: readonly string[]): Promise<DeliveryFailureRecord[][]> {
  if (federation === undefined) return actorIds.map(() => []);
  const [single] = actorIds;
  if (actorIds.length === 1 && single !== undefined) return [await federation.store.listDeliveryFailures(single)];
  const wanted = new Map(actorIds.map((actorId) => [actorId, [] as DeliveryFailureRecord[]]));
  for (const failure of await federation.store.listDeliveryFailures()) wanted.get(failure.followerActorId)?.push(failure);
  return actorIds.map((actorId) => wanted.get(actorId) ?? []);
}

export function createLoaders(
  records: RecordRepositories,
  options: {
    federation?: FederationAccess | undefined;
    network?: NetworkAccess | undefined;
    seesUnpublished: boolean;
    actors?: ActorDirectory | undefined;
    identity?: NodeIdentity | undefined;
    settings?: SettingsAccess | undefined;
  },
): Loaders {
  const { federation, network, seesUnpublished, actors, identity, settings } = options;
  const visible =
    <T>(isPublic: (record: T) => boolean) =>
    (record: T | null) =>
      record !== null && (seesUnpublished || isPublic(record)) ? record : null;
  const lockVersions = {
    guideline: lockVersionLoader((ids) => records.guidelines.lockVersions(ids)),
    useCase: lockVersionLoader((ids) => records.useCases.lockVersions(ids)),
    model: lockVersionLoader((ids) => records.sharedModels.lockVersions(ids)),
  };
  /** Records with their lock versions in one read: a client that asks for `lockVersion` too costs no second statement. */
  const withLockVersions =
    <T extends { id: string }>(read: (ids: readonly string[]) => Promise<(Versioned<T> | null)[]>, versions: DataLoader<string, number>) =>
    async (ids: readonly string[]) =>
      (await read(ids)).map((found) => {
        if (found === null) return null;
        versions.prime(found.record.id, found.lockVersion);
        return found.record;
      });
  const visibleGuideline = visible(isPublicGuideline);
  const visibleUseCase = visible(isPublicUseCase);
  const visibleModel = visible(isPublicModel);
  const guideline = new DataLoader<string, Guideline | null>(async (ids) =>
    (await withLockVersions((batch) => records.guidelines.getManyVersionedByIds(batch), lockVersions.guideline)(ids)).map(visibleGuideline),
  );
  const useCase = new DataLoader<string, UseCase | null>(async (ids) =>
    (await withLockVersions((batch) => records.useCases.getManyVersionedByIds(batch), lockVersions.useCase)(ids)).map(visibleUseCase),
  );
  const sharedModel = new DataLoader<string, SharedModel | null>(async (ids) =>
    (await withLockVersions((batch) => records.sharedModels.getManyVersionedByIds(batch), lockVersions.model)(ids)).map(visibleModel),
  );
  const verifiedAdoptions = new DataLoader<string, Adoption[]>(async (useCaseIds) =>
    network ? network.adoptions.listByOriginUseCases(useCaseIds, { verifiedOnly: true }) : useCaseIds.map(() => []),
  );
  /** Primes a record read elsewhere into its loader and its lock version; returns what the loader would have given. */
  const prime = <T>(
    loader: DataLoader<string, T | null>,
    versions: DataLoader<string, number>,
    id: string,
    found: Versioned<T> | null,
    shown: (record: T | null) => T | null,
  ) => {
    if (found !== null) versions.prime(id, found.lockVersion);
    const record = shown(found?.record ?? null);
    loader.prime(id, record);
    return record;
  };
  return {
    guideline,
    guidelineVersions: new DataLoader(async (documentIds) =>
      (await records.guidelines.listVersionsMany(documentIds)).map((versions) => (seesUnpublished ? versions : versions.filter(isPublicGuideline))),
    ),
    useCase,
    sharedModel,
    verifiedAdoptions,
    deliveryFailures: new DataLoader((actorIds) => deliveryFailuresOf(federation, actorIds)),
    deliveryStatus: new DataLoader(async (inboxes) =>
      federation?.deliveryStatus ? await federation.deliveryStatus.deliveryStatus(inboxes) : inboxes.map(() => null),
    ),
    lockVersions,
    actorProfile: new DataLoader(async (ids) => {
      const own = identity && ids.includes(identity.actor) ? await ownProfile(identity, settings) : undefined;
      const others = ids.filter((id) => id !== identity?.actor);
      const found = actors && others.length > 0 ? await actors.profiles(others) : new Map<string, ActorProfile>();
      return ids.map((id) => (own && id === own.id ? own : (found.get(id) ?? null)));
    }),
    city: new DataLoader(async (actorIds) => {
      if (!network) return actorIds.map(() => null);
      const cities = new Map((await network.view.listCities({ cities: [...actorIds] })).map((city) => [city.actor, city]));
      return actorIds.map((actor) => cities.get(actor) ?? null);
    }),
    async useCaseWithRelations(id) {
      const detail = await records.combined.useCaseDetail(id);
      const shown = prime(useCase, lockVersions.useCase, id, detail?.useCase ?? null, visibleUseCase);
      if (detail === null) return shown;
      const held = new Map(detail.models.map((model) => [model.record.id, model]));
      for (const { model } of detail.useCase.record.models) prime(sharedModel, lockVersions.model, model, held.get(model) ?? null, visibleModel);
      if (network) verifiedAdoptions.prime(id, detail.verifiedAdoptions);
      return shown;
    },
    async guidelineAndUseCase(guidelineId, useCaseId) {
      const found = await records.combined.guidelineAndUseCase(guidelineId, useCaseId);
      return [
        prime(guideline, lockVersions.guideline, guidelineId, found.guideline, visibleGuideline),
        prime(useCase, lockVersions.useCase, useCaseId, found.useCase, visibleUseCase),
      ];
    },
  };
}
