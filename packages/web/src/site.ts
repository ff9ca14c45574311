import type { NextFunction, Request, Response } from "express";
import type { WebRouterDeps } from "./page.ts";

/** What every page shows of the node settings (the rest is read by the pages that need it). */
export interface SiteInfo {
  cityName: string;
}

export const siteQuery = "query Site { nodeSettings { cityName } }";

/**
 * Loads the node settings every page shows (the municipality's name) into `res.locals.site`
 * before the page handlers run, so that a name an admin just saved shows on the next page.
 * One read of one row; requests for assets and the API skip it. A node composed without
 * settings (or an API that fails) falls back to the name the router was given.
 */
export function loadSiteInfo(deps: WebRouterDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith("/assets/") || (req.path === "/graphql" && req.method !== "GET")) return next();
    try {
      const result = await deps.graphql(siteQuery, {});
      const settings = (result.data?.nodeSettings ?? null) as SiteInfo | null;
      if (settings) res.locals.site = settings satisfies SiteInfo;
    } catch (error) {
      deps.onUnexpectedError?.(error);
    }
    next();
  };
}

/** The municipality's name for this request: from the settings, else from the router's deps. */
export const siteCityName = (res: Response, deps: Pick<WebRouterDeps, "city">): string => (res.locals.site as SiteInfo | undefined)?.cityName ?? deps.city.name;
