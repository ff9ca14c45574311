import { randomUUID } from "node:crypto";
import {
  adoptUseCase,
  forkGuideline,
  recordIri,
  type AdoptError,
  type ForkError,
  type Guideline,
  type NodeSettings,
  type Principal,
  type UseCase,
} from "@leitplanken/core";
import type { UseContext } from "./application.ts";
import { notFound, refused, type NotFound, type UseResult } from "./results.ts";

export type ForkUseResult = UseResult<{ guideline: Guideline; lockVersion: number }, NotFound | ForkError>;
export type AdoptUseResult = UseResult<{ useCase: UseCase; lockVersion: number }, NotFound | AdoptError>;

export interface ReuseUses {
  /** A local draft forked from a guideline version (ours or a received one), where its licence allows it; our city issues it. */
  forkGuideline(input: { versionId: string }, principal: Principal): Promise<ForkUseResult>;
  /** A local draft adopted from another city's published use case, to be vetted here; adopting one twice is refused. */
  adoptUseCase(input: { useCaseId: string }, principal: Principal): Promise<AdoptUseResult>;
}

/** How to reach our city: the settings' email, phone or contact page, else its website, else this node. */
function ourContact(settings: NodeSettings | null, origin: string): UseCase["contact"] {
  const contact = settings?.contact;
  const own = {
    ...(contact?.email ? { email: contact.email } : {}),
    ...(contact?.phone ? { phone: contact.phone } : {}),
    ...(contact?.url ? { url: contact.url } : {}),
  };
  return Object.keys(own).length > 0 ? own : { url: settings?.website ?? `${origin}/` };
}

export function reuseUses({ transact, identity, settings }: UseContext): ReuseUses {
  return {
    async forkGuideline({ versionId }, principal) {
      // Our city issues the fork (the node settings' issuing body), not the city it came from.
      const issuingBody = (await settings())?.issuingBody;
      return transact<ForkUseResult>(async (stores) => {
        const source = await stores.guidelines.get(versionId);
        if (source === null) return notFound(versionId);
        const slug = randomUUID();
        const forked = forkGuideline(source, {
          actor: identity.actor,
          iri: { id: recordIri(identity.origin, "guideline", slug), documentId: recordIri(identity.origin, "guideline-document", slug) },
          principal,
          issuingBody,
        });
        if (!forked.ok) return refused(forked.error);
        const saved = await stores.guidelines.save(forked.draft);
        // A new document has neither published versions nor other labels: a refusal here is a bug.
        if (!saved.ok) throw new Error(`forked draft not saved: ${saved.error.type}`);
        return { ok: true, guideline: forked.draft, lockVersion: saved.lockVersion };
      });
    },

    async adoptUseCase({ useCaseId }, principal) {
      // Until an editor names the responsible office's contact: the city's own (node settings).
      const contact = ourContact(await settings(), identity.origin);
      return transact<AdoptUseResult>(async (stores) => {
        const origin = await stores.useCases.get(useCaseId);
        if (origin === null) return notFound(useCaseId);
        const earlier = await stores.useCases.list({ adoptedFrom: origin.id, source: "local" }, { first: 1 });
        const adopted = adoptUseCase(origin, {
          actor: identity.actor,
          id: recordIri(identity.origin, "use-case", randomUUID()),
          principal,
          contact,
          existingAdoption: earlier.items[0]?.id,
        });
        if (!adopted.ok) return refused(adopted.error);
        const saved = await stores.useCases.save(adopted.draft);
        if (!saved.ok) throw new Error(`adopted draft not saved: ${saved.error.type}`);
        return { ok: true, useCase: adopted.draft, lockVersion: saved.lockVersion };
      });
    },
  };
}
