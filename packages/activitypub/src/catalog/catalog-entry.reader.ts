import { isActor } from "@fedify/vocab";
import type { CatalogEntry, CatalogEntryReader, FederatedRecord } from "@leitplanken/core";
import type { FederationDeps } from "../federation.deps.ts";
import type { CityFederation } from "../federation.ts";
import { guidelineMapper } from "../guideline.mapper.ts";
import { modelMapper } from "../model.mapper.ts";
import type { JsonDocument } from "../record-proof.ts";
import { useCaseMapper } from "../use-case.mapper.ts";

const mappers = { "use-case": useCaseMapper, guideline: guidelineMapper, model: modelMapper } as const;

/** How long a moderation page waits for a city's actor before it shows the address instead. */
const cityNameTimeoutMs = 3_000;
/** Names are kept for a while (a queue lists many entries of few cities); at most this many. */
const cityNameTtlMs = 10 * 60 * 1000;
const cityNameCacheSize = 1_000;

/**
 * What a catalog's moderators read of an entry (core's CatalogEntryReader): the record in the
 * document the catalog keeps (verified when it was submitted), and the submitting city's name
 * from its actor (through Fedify's document loader, bounded in time, kept for ten minutes).
 */
export function createCatalogEntryReader(federation: CityFederation, deps: FederationDeps): CatalogEntryReader {
  const names = new Map<string, { name: string | null; until: number }>();

  return {
    record(entry: CatalogEntry): FederatedRecord | null {
      if (!entry.document) return null;
      const provenance = {
        source: "received" as const,
        originActor: entry.record.originActor,
        originHost: new URL(entry.record.originActor).host,
        receivedAt: entry.recordUpdatedAt ?? entry.submittedAt,
        // The catalog verified the origin's proof before it kept the document.
        proofVerified: true,
      };
      const read = mappers[entry.record.kind].fromDocument(entry.document as JsonDocument, provenance);
      return read.ok ? read.value : null;
    },

    async cityName(actorIri: string): Promise<string | null> {
      const cached = names.get(actorIri);
      if (cached && cached.until > Date.now()) return cached.name;
      const ctx = federation.createContext(new URL(deps.origin), deps);
      const lookup = ctx
        .lookupObject(actorIri)
        .then((actor) => (isActor(actor) && actor.name ? actor.name.toString() : null))
        .catch(() => null);
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), cityNameTimeoutMs).unref());
      const name = await Promise.race([lookup, timeout]);
      if (names.size >= cityNameCacheSize) names.delete(names.keys().next().value!);
      // An actor that did not answer is asked again after a minute.
      names.set(actorIri, { name, until: Date.now() + (name === null ? 60_000 : cityNameTtlMs) });
      return name;
    },
  };
}
