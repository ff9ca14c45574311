import type { InboxListener } from "@fedify/fedify";
import type { Create } from "@fedify/vocab";
import { isAdoptionIri } from "./adoption.mapper.ts";
import { receiveAdoptionActivity } from "./adoption-receipt.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { receiveRecordActivity } from "./record-receipt.ts";

/**
 * A city published a record or an adoption record (or a Note announcing one, which is ignored
 * here): fetch, verify, store a copy.
 */
export const onCreate: InboxListener<FederationContextData, Create> = (ctx, create) =>
  create.objectId && isAdoptionIri(create.objectId) ? receiveAdoptionActivity(ctx, create, create.objectId) : receiveRecordActivity(ctx, create);
