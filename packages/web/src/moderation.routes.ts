import express, { type Response } from "express";
import { unlessRefused } from "./graphql-client.ts";
import {
  hostedCatalogsQuery,
  moderationMutations,
  moderationQueueQuery,
  nodeReportsQuery,
  type HostedCatalog,
  type ModeratedCatalog,
  type OpenReport,
} from "./moderation.queries.ts";
import { moderationPage } from "./moderation.views.ts";
import { sendPage } from "./page.ts";
import type { StaffKit } from "./staff-kit.ts";
import type { PayloadError } from "./staff.queries.ts";

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * `/staff/moderation`: for each catalog hosted here that the person moderates, the queue of
 * submissions (title, city, rule check; approve, reject with reason), requests to join (accept,
 * reject with reason), members (remove with reason), approved entries (remove with reason) and
 * reports; plus the reports about the node's own records (admins and moderators).
 */
export function moderationRoutes(kit: StaffKit): express.Router {
  const router = express.Router();
  const act = async (res: Response, name: keyof typeof moderationMutations, variables: Record<string, unknown>) => {
    const { result } = await kit.query<{ result: { __typename: string } & Partial<PayloadError> }>(res, moderationMutations[name], variables);
    if (result.__typename.endsWith("Success")) return res.redirect(303, "/staff/moderation?done=1");
    kit.refused(res, { ...result, message: result.message ?? { text: result.__typename } });
  };

  router.get("/moderation", async (req, res) => {
    const catalogs = await unlessRefused(["CATALOGS_UNAVAILABLE"], async () => {
      const hosted = (await kit.query<{ hostedCatalogs: { nodes: HostedCatalog[] } }>(res, hostedCatalogsQuery, {})).hostedCatalogs.nodes;
      // Only a catalog's moderators may read its queue.
      return Promise.all(
        hosted.map(async (catalog) =>
          catalog.viewerIsModerator
            ? ((await kit.query<{ catalog: ModeratedCatalog | null }>(res, moderationQueueQuery, { id: catalog.id })).catalog ?? catalog)
            : catalog,
        ),
      );
    });
    const nodeReports = await unlessRefused(
      ["CATALOGS_UNAVAILABLE", "FORBIDDEN"],
      async () => (await kit.query<{ nodeReports: { nodes: OpenReport[] } }>(res, nodeReportsQuery, {})).nodeReports.nodes,
    );
    sendPage(res, moderationPage(kit.view(res), { catalogs, nodeReports, done: req.query.done === "1" }));
  });

  const entryActions = { approve: "approveCatalogEntry", reject: "rejectCatalogEntry", remove: "removeCatalogEntry" } as const;
  for (const [action, mutationName] of Object.entries(entryActions)) {
    router.post(`/moderation/${action}`, kit.checkCsrf, async (req, res) => {
      const body = req.body as Body;
      const variables = { catalogId: text(body.catalogId), entryId: text(body.entryId), ...(action === "approve" ? {} : { reason: text(body.reason) }) };
      await act(res, mutationName, variables);
    });
  }

  const memberActions = { accept: "APPROVE", reject: "REJECT", remove: "REMOVE" } as const;
  router.post("/moderation/member", kit.checkCsrf, async (req, res) => {
    const body = req.body as Body;
    const action = memberActions[text(body.action) as keyof typeof memberActions];
    if (!action) return kit.notFound(res);
    const reason = text(body.reason);
    await act(res, "moderateCatalogMember", { catalogId: text(body.catalogId), actor: text(body.actor), action, reason: action === "APPROVE" ? null : reason });
  });

  router.post("/moderation/close-report", kit.checkCsrf, async (req, res) => {
    const body = req.body as Body;
    const outcome = body.outcome === "DISMISSED" ? "DISMISSED" : "RESOLVED";
    await act(res, "closeReport", { reportId: text(body.reportId), outcome, reason: text(body.reason) });
  });

  return router;
}
