import { roles, type Principal, type Role } from "@leitplanken/core";
import express from "express";
import { adminPage } from "./admin.views.ts";
import { sendPage } from "./page.ts";
import type { StaffKit } from "./staff-kit.ts";
import { catalogRoutes } from "./catalogs.routes.ts";
import { moderationRoutes } from "./moderation.routes.ts";
import { modelRoutes } from "./models.routes.ts";
import { tokenRoutes } from "./tokens.routes.ts";
import { mayEnterArea } from "./staff-nav.ts";

/** The API's `viewer` (role as the GraphQL enum, `EDITOR`) as the core's principal. */
export function principalOf(viewer: { name: string; role: string }): Principal {
  const role = viewer.role.toLowerCase() as Role;
  if (!roles.includes(role)) throw new Error(`unknown role from the API: ${viewer.role}`);
  return { name: viewer.name, role };
}

/** The staff areas of the admin, the model editor and the catalogs, behind the staff sign-in. */
export function adminRoutes(kit: StaffKit): express.Router {
  const router = express.Router();
  router.get("/admin", (_req, res) => {
    if (!mayEnterArea(kit.viewer(res), "/staff/admin")) return kit.forbidden(res);
    sendPage(res, adminPage(kit.view(res)));
  });
  router.use(tokenRoutes(kit));
  router.use(catalogRoutes(kit));
  router.use(moderationRoutes(kit));
  router.use(modelRoutes(kit));
  return router;
}
