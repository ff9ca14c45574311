import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Request, Response } from "express";
import { html } from "./html.ts";
import type { PageContext } from "./layout.ts";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

// GraphiQL 3 ships a browser bundle that needs only React 18's UMD builds: no build step, no CDN.
const explorerFiles: Record<string, string> = {
  "react.js": path.join(packageDir("react"), "umd/react.production.min.js"),
  "react-dom.js": path.join(packageDir("react-dom"), "umd/react-dom.production.min.js"),
  "graphiql.js": path.join(packageDir("graphiql"), "graphiql.min.js"),
  "graphiql.css": path.join(packageDir("graphiql"), "graphiql.min.css"),
  "explorer.js": fileURLToPath(new URL("./assets/explorer.js", import.meta.url)),
  "explorer.css": fileURLToPath(new URL("./assets/explorer.css", import.meta.url)),
};

export const explorerContentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Serves the explorer's scripts and styles under /assets/explorer/. */
export function serveExplorerAsset(req: Request, res: Response): void {
  const file = explorerFiles[String(req.params.file)];
  if (!file) {
    res.status(404).type("text/plain").send("Not found");
    return;
  }
  // pnpm keeps packages under node_modules/.pnpm, a dot folder that sendFile refuses by default.
  res.sendFile(file, { maxAge: "1d", dotfiles: "allow" });
}

/** Whether a request for /graphql comes from a browser that wants a page, not from an API client. */
export function wantsExplorer(req: Request): boolean {
  return req.query.query === undefined && req.accepts(["json", "html"]) === "html";
}

/** The GraphiQL page: its own minimal document, since GraphiQL takes the whole window. */
export function explorerPage(context: PageContext): string {
  const { t } = context;
  return html`<!doctype html>
    <html lang="${t.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${t.t("explorerTitle")} – ${context.cityName}</title>
        <link rel="stylesheet" href="/assets/explorer/graphiql.css" />
        <link rel="stylesheet" href="/assets/explorer/explorer.css" />
        <script src="/assets/explorer/react.js" defer></script>
        <script src="/assets/explorer/react-dom.js" defer></script>
        <script src="/assets/explorer/graphiql.js" defer></script>
        <script src="/assets/explorer/explorer.js" defer></script>
      </head>
      <body style="margin:0">
        <main
          id="graphiql"
          data-endpoint="/graphql"
          aria-label="${t.t("explorerTitle")}"
          data-label-query="${t.t("explorerQueryEditor")}"
          data-label-variables="${t.t("explorerVariablesEditor")}"
          data-label-headers="${t.t("explorerHeadersEditor")}"
          data-label-response="${t.t("explorerResponse")}"
        >
          <h1 style="font-family:system-ui,sans-serif;padding:1rem">${t.t("explorerTitle")}</h1>
          <noscript
            ><p style="font-family:system-ui,sans-serif;padding:0 1rem">${t.t("explorerNoScript")} <a href="/">${t.t("backToRegister")}</a></p></noscript
          >
        </main>
      </body>
    </html>`.toString();
}
