import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Router } from "express";
import { recordIri, recordRoute, type FederatedRecordKind } from "@leitplanken/core";
import { adoptionIriOfSlug, adoptionMapper, adoptionRoute } from "./adoption.mapper.ts";
import type { FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";
import { ACTIVITYSTREAMS_CONTEXT, LEITPLANKEN_CONTEXT_PATH, versionedContextPath, WIRE_VERSION } from "./record-document.ts";
import { federatedRecordKinds, recordKindAccess } from "./record-kinds.ts";
import { signRecord, type JsonDocument } from "./record-proof.ts";

/** The context document of `federation/`, the wire contract every node serves. */
const leitplankenContext = readFileSync(new URL("../../../federation/context.jsonld", import.meta.url), "utf8");

const ACTIVITY_JSON = "application/activity+json";

/** Whether the client asks for JSON-LD (an ActivityPub server) rather than a web page. */
export function wantsJsonLd(req: IncomingMessage): boolean {
  return /application\/(activity\+json|ld\+json)/i.test(req.headers.accept ?? "");
}

function sendJson(res: ServerResponse, status: number, contentType: string, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", `${contentType}; charset=utf-8`);
  res.setHeader("vary", "Accept");
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/**
 * The records of this node at their IRIs (`recordRoute(kind)`), as JSON-LD documents signed
 * with the city's Ed25519 key (FEP-8b32), and our JSON-LD context at `/ns/leitplanken.jsonld` and
 * `/ns/leitplanken/{major}.{minor}.jsonld`.
 * A request that does not ask for JSON-LD goes on to the next handler (the web pages).
 * What is served is the record's publication (the state the node published, also while a
 * revision is under way), signed as of the time it was published; withdrawn records answer 410
 * with a Tombstone; drafts and received copies are not served.
 * Our adoption records are served the same way at `/adoptions/{slug}`.
 */
export function createRecordRoutes(federation: CityFederation, deps: FederationDeps): Router {
  const router = Router();
  // One context for every minor version of the wire format (a minor only adds terms): under its
  // 1.0 name and under each versioned name this node knows.
  router.get(LEITPLANKEN_CONTEXT_PATH, (_req, res) => sendJson(res, 200, "application/ld+json", leitplankenContext));
  for (let minor = 0; minor <= WIRE_VERSION.minor; minor++) {
    router.get(versionedContextPath({ major: WIRE_VERSION.major, minor }), (_req, res) => sendJson(res, 200, "application/ld+json", leitplankenContext));
  }
  for (const kind of federatedRecordKinds) {
    router.get(recordRoute(kind), async (req, res, next) => {
      if (!wantsJsonLd(req)) return next();
      try {
        const document = await recordDocument(federation, deps, kind, String(req.params.slug));
        if (document.status === 404) return next();
        sendJson(res, document.status, ACTIVITY_JSON, document.body);
      } catch (error) {
        next(error);
      }
    });
  }
  router.get(adoptionRoute, async (req, res, next) => {
    if (!wantsJsonLd(req)) return next();
    try {
      const document = await adoptionDocument(federation, deps, String(req.params.slug));
      if (document.status === 404) return next();
      sendJson(res, document.status, ACTIVITY_JSON, document.body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

async function recordDocument(
  federation: CityFederation,
  deps: FederationDeps,
  kind: FederatedRecordKind,
  slug: string,
): Promise<{ status: 200 | 410; body: object } | { status: 404 }> {
  let iri: string;
  try {
    iri = recordIri(deps.origin, kind, slug);
  } catch {
    return { status: 404 };
  }
  const access = recordKindAccess(deps.records, kind);
  const publication = await deps.store.getPublication(iri);
  if (publication === null || publication.kind !== kind) return { status: 404 };
  if (publication.record === null) {
    const deleted = publication.updatedAt.toISOString();
    return { status: 410, body: { "@context": ACTIVITYSTREAMS_CONTEXT, id: iri, type: "Tombstone", formerType: access.type, deleted } };
  }
  // Signed as of its publication: every follower, early or late, receives the same bytes.
  return { status: 200, body: await signRecord(federation, deps, access.toDocument(publication.record), publication.updatedAt) };
}

/**
 * One of this node's published records as its IRI serves it to ActivityPub clients (the same
 * signed bytes), or null when it is not published (a draft, withdrawn, not ours). The open-data
 * download of the web pages puts these into the register's JSON file.
 */
export async function publishedRecordDocument(federation: CityFederation, deps: FederationDeps, iri: string): Promise<JsonDocument | null> {
  const publication = await deps.store.getPublication(iri);
  if (publication?.record == null) return null;
  const access = recordKindAccess(deps.records, publication.kind);
  return signRecord(federation, deps, access.toDocument(publication.record), publication.updatedAt);
}

/** One of our adoption records, signed; a withdrawn one answers 410 with a Tombstone. */
async function adoptionDocument(
  federation: CityFederation,
  deps: FederationDeps,
  slug: string,
): Promise<{ status: 200 | 410; body: object } | { status: 404 }> {
  const iri = adoptionIriOfSlug(deps.origin, slug);
  const [adoption, latest] = await Promise.all([deps.adoptions?.get(iri) ?? null, deps.store.findLatestOutboxActivity(iri)]);
  if (adoption === null && latest?.type === "Delete") {
    const deleted = latest.publishedAt.toISOString();
    return { status: 410, body: { "@context": ACTIVITYSTREAMS_CONTEXT, id: iri, type: "Tombstone", formerType: adoptionMapper.type, deleted } };
  }
  if (adoption === null || adoption.provenance.source !== "local") return { status: 404 };
  return { status: 200, body: await signRecord(federation, deps, adoptionMapper.toDocument(adoption), new Date(adoption.publishedAt)) };
}
