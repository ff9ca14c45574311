import type { Context, ObjectDispatcher } from "@fedify/fedify";
import { Create, Delete, Note, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import { parseRecordIri, recordIri, textIn, type FederatedRecord, type FederatedRecordKind, type LanguageMap, type RecordEvent } from "@leitplanken/core";
import { cityActorUri } from "./city.actor.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { toInstant } from "./record-activity.ts";
import { federatedRecordKinds } from "./record-kinds.ts";

type Ctx = Context<FederationContextData>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);

/** What a fediverse reader sees of a record: a headline and a short text per language. */
function readable(record: FederatedRecord): { headline: (language: "de" | "en") => string; text: LanguageMap | undefined } {
  if ("documentId" in record) {
    return {
      headline: (language) =>
        language === "de"
          ? `KI-Leitlinie „${textIn(record.title, "de")}“, Fassung ${record.version}`
          : `AI guideline "${textIn(record.title, "en")}", version ${record.version}`,
      text: record.summary,
    };
  }
  if ("workflow" in record) {
    return {
      headline: (language) =>
        language === "de" ? `Geprüfter KI-Anwendungsfall: „${textIn(record.name, "de")}“` : `Vetted AI use case: "${textIn(record.name, "en")}"`,
      text: record.shortDescription,
    };
  }
  return {
    headline: (language) =>
      language === "de"
        ? `Geteiltes KI-Modell: „${textIn(record.name, "de")}“ ${record.version}`
        : `Shared AI model: "${textIn(record.name, "en")}" ${record.version}`,
    text: record.intendedUse,
  };
}

/** The Note IRI that announces a record: `/notes/{kind}/{slug}`. */
export function noteUri(ctx: Ctx, recordId: string): URL | null {
  const parsed = parseRecordIri(ctx.canonicalOrigin, recordId);
  if (!parsed || parsed.kind === "guideline-document") return null;
  return ctx.getObjectUri(Note, { kind: parsed.kind, slug: parsed.slug });
}

/**
 * A `Note` with a readable summary and a link to the record, for followers that do not know
 * our record types (Mastodon and other fediverse software).
 */
export function recordNote(ctx: Ctx, record: FederatedRecord, published: Date): Note {
  const { headline, text } = readable(record);
  const paragraphs = (language: "de" | "en") =>
    [
      `<p><strong>${escapeHtml(headline(language))}</strong></p>`,
      text ? `<p>${escapeHtml(textIn(text, language))}</p>` : "",
      `<p><a href="${escapeHtml(record.id)}">${escapeHtml(record.id)}</a></p>`,
    ].join("");
  return new Note({
    id: noteUri(ctx, record.id),
    attribution: cityActorUri(ctx),
    content: `${paragraphs("de")}<hr>${paragraphs("en")}`,
    url: new URL(record.id),
    published: toInstant(published),
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(ctx.data.city.handle),
  });
}

/** The Note activity that goes with a record event; its id is made of `key` (the outbox event's id). */
export function noteActivity(ctx: Ctx, event: RecordEvent, record: FederatedRecord | null, now: Date, key: string): Create | Update | Delete | null {
  const id = noteUri(ctx, event.id);
  if (!id) return null;
  const me = cityActorUri(ctx);
  const activityId = (type: string) => new URL(`#note-${type}/${key}`, me);
  const addressing = { actor: me, to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(ctx.data.city.handle) };
  if (event.type === "withdrawn") return new Delete({ ...addressing, id: activityId("delete"), object: new Tombstone({ id }) });
  if (!record) return null;
  const note = recordNote(ctx, record, now);
  return event.type === "published"
    ? new Create({ ...addressing, id: activityId("create"), object: note })
    : new Update({ ...addressing, id: activityId("update"), object: note });
}

/** Serves the Note of a record as this node published it (none once withdrawn). */
export const dispatchRecordNote: ObjectDispatcher<FederationContextData, Note, "kind" | "slug"> = async (ctx, values) => {
  const kind = federatedRecordKinds.find((candidate) => candidate === values.kind) as FederatedRecordKind | undefined;
  const iri = kind ? safeRecordIri(ctx.canonicalOrigin, kind, values.slug) : null;
  if (!kind || !iri) return null;
  const publication = await ctx.data.store.getPublication(iri);
  if (publication?.record == null) return null;
  return recordNote(ctx, publication.record, publication.updatedAt);
};

/** A record IRI, or null for a slug that cannot be one (e.g. a crafted URL). */
function safeRecordIri(origin: string, kind: FederatedRecordKind, slug: string): string | null {
  try {
    return recordIri(origin, kind, slug);
  } catch {
    return null;
  }
}
