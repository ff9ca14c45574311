import type { Actor } from "@fedify/vocab";
import { validatePublicUrl } from "@fedify/vocab-runtime";

/**
 * True when we may send requests to the URL: an http(s) URL whose host is (or resolves only to)
 * public addresses, or any URL when private addresses are allowed (local networks, tests).
 */
export async function isPublicUrl(url: URL, allowPrivateAddress: boolean | undefined): Promise<boolean> {
  if (allowPrivateAddress) return true;
  return validatePublicUrl(url.href).then(
    () => true,
    () => false,
  );
}

export interface ActorInboxes {
  inbox: URL;
  sharedInbox: URL | null;
}

/**
 * The inbox and shared inbox of a remote actor, when we may deliver to them. The document loaders
 * check only the actor document's own URL; Fedify later POSTs to these URLs with plain fetch, so
 * an actor naming a private or loopback inbox (or shared inbox) is refused as a whole: null.
 */
export async function deliverableInboxes(actor: Actor, allowPrivateAddress: boolean | undefined): Promise<ActorInboxes | null> {
  const inbox = actor.inboxId;
  const sharedInbox = actor.endpoints?.sharedInbox ?? null;
  if (!inbox || !(await isPublicUrl(inbox, allowPrivateAddress))) return null;
  if (sharedInbox && !(await isPublicUrl(sharedInbox, allowPrivateAddress))) return null;
  return { inbox, sharedInbox };
}
