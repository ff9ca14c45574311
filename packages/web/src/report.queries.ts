// The citizen's error report: the API's reportRecord and the shapes it answers with.
import type { Text } from "./register.queries.ts";

/** The API's ReportCategory, in the order the form offers them. */
export const reportCategories = ["FACTUAL_ERROR", "OUTDATED", "PERSONAL_DATA", "LEGAL", "INAPPROPRIATE", "SPAM", "OTHER"] as const;
export type ReportCategory = (typeof reportCategories)[number];

export type ReportResult =
  | { __typename: "ReportRecordSuccess"; reportId: string }
  | { __typename: "RateLimitedError"; message: Text; retryAfterSeconds: number }
  | { __typename: string; message: Text; fieldErrors?: { path: string; message: Text }[] };

export const reportRecordMutation = `mutation ReportRecord($lang: String!, $target: String!, $category: ReportCategory!, $text: String) {
  result: reportRecord(target: $target, category: $category, text: $text) {
    __typename
    ... on ReportRecordSuccess { reportId }
    ... on RateLimitedError { retryAfterSeconds }
    ... on ValidationError { fieldErrors { path message { text(lang: $lang) } } }
    ... on PayloadError { message { text(lang: $lang) } }
  }
}`;
