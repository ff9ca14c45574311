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
  return {
    guideline: new DataLoader(async (ids) =>
      (await withLockVersions((batch) => records.guidelines.getManyVersionedByIds(batch), lockVersions.guideline)(ids)).map(visible(isPublicGuideline)),
    ),
    guidelineVersions: new DataLoader(async (documentIds) =>
      (await records.guidelines.listVersionsMany(documentIds)).map((versions) => (seesUnpublished ? versions : versions.filter(isPublicGuideline))),
    ),
    useCase: new DataLoader(async (ids) =>
      (await withLockVersions((batch) => records.useCases.getManyVersionedByIds(batch), lockVersions.useCase)(ids)).map(visible(isPublicUseCase)),
    ),
    sharedModel: new DataLoader(async (ids) =>
      (await withLockVersions((batch) => records.sharedModels.getManyVersionedByIds(batch), lockVersions.model)(ids)).map(visible(isPublicModel)),
    ),
    verifiedAdoptions: new DataLoader(async (useCaseIds) =>
      network ? network.adoptions.listByOriginUseCases(useCaseIds, { verifiedOnly: true }) : useCaseIds.map(() => []),
    ),
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
  };
}
