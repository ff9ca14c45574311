import type { ActorRef } from "./catalog.entity.ts";

/**
 * One log of every moderation action on a node and its catalogs (Lemmy's modlog, in one
 * table): what was done, by whom, to what and why; also the attempts that were refused
 * (a non-moderator's approve, a forged remote action), so that they can be audited.
 */
export const moderationActionKinds = [
  "approve",
  "reject",
  "remove",
  "report-resolved",
  "report-dismissed",
  "block",
  "unblock",
  "allow",
  "disallow",
  "member-approve",
  "member-reject",
  "member-remove",
  "mode-change",
  "catalog-settings",
] as const;
export type ModerationActionKind = (typeof moderationActionKinds)[number];

/** What an action was aimed at; `target` holds its IRI, id or domain name. */
export const moderationTargetTypes = ["entry", "report", "member", "domain", "actor", "catalog", "node"] as const;
export type ModerationTargetType = (typeof moderationTargetTypes)[number];

export interface NewModerationLogEntry {
  /** The catalog the action concerns; null for node-wide actions (node blocks, node mode). */
  catalogId: string | null;
  kind: ModerationActionKind;
  actor: ActorRef;
  targetType: ModerationTargetType;
  target: string;
  reason: string | null;
  at: string;
  /** The action undoes an earlier one (unblock, disallow). */
  isRevert: boolean;
  /** The action was attempted and refused; `refusal` names the error type. */
  refused: boolean;
  refusal: string | null;
  /** Hidden from the public log (e.g. a report about personal data, refused attempts). */
  confidential: boolean;
}

export interface ModerationLogEntry extends NewModerationLogEntry {
  /** Position in the log; a later entry has a higher one. */
  position: number;
}

const revertingKinds: ReadonlySet<ModerationActionKind> = new Set(["unblock", "disallow"]);

/** The log entry of an action that was carried out. */
export function performedAction(
  action: Pick<NewModerationLogEntry, "catalogId" | "kind" | "actor" | "targetType" | "target" | "at"> & { reason?: string | null; confidential?: boolean },
): NewModerationLogEntry {
  return {
    ...action,
    reason: action.reason ?? null,
    isRevert: revertingKinds.has(action.kind),
    refused: false,
    refusal: null,
    confidential: action.confidential ?? false,
  };
}

/** The log entry of a refused attempt; confidential, since it may name whoever tried. */
export function refusedAction(
  action: Pick<NewModerationLogEntry, "catalogId" | "kind" | "actor" | "targetType" | "target" | "at"> & { reason?: string | null },
  refusal: string,
): NewModerationLogEntry {
  return { ...performedAction(action), refused: true, refusal, confidential: true };
}
