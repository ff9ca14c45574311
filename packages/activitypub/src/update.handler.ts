import type { InboxListener } from "@fedify/fedify";
import type { Update } from "@fedify/vocab";
import type { FederationContextData } from "./federation.deps.ts";
import { receiveRecordActivity } from "./record-receipt.ts";

/** A city changed a record: fetch and verify the new state; the copy's earlier state goes to its history. */
export const onUpdate: InboxListener<FederationContextData, Update> = (ctx, update) => receiveRecordActivity(ctx, update);
