# syntax=docker/dockerfile:1
# Leitplanken node. Build:  docker build -t leitplanken .
# Run:    docker run -d --name leitplanken -p 127.0.0.1:8080:8080 -v leitplanken-data:/data \
#           -e LEITPLANKEN_ORIGIN=https://ki.stadt.example -e LEITPLANKEN_HANDLE=stadt leitplanken
# See docs/operations.md (TLS at the proxy, backups, upgrades).

# --- build: the production dependencies of the server and the packages it uses ---
FROM node:24-bookworm-slim AS build
RUN npm install --global pnpm@12.4.2
WORKDIR /app
# The manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/activitypub/package.json packages/activitypub/
COPY packages/app/package.json packages/app/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/graphql/package.json packages/graphql/
COPY packages/server/package.json packages/server/
COPY packages/testkit/package.json packages/testkit/
COPY packages/web/package.json packages/web/
RUN pnpm install --prod --frozen-lockfile --filter "@leitplanken/server..." \
  # The image brings Node.js 24 itself: the copy the repository installs for developers goes.
  && rm -rf node_modules/node node_modules/.bin/node node_modules/.pnpm/node@*
COPY federation federation
COPY schema schema
COPY packages packages
RUN find packages -name "*.test.ts" -delete && rm -rf packages/testkit

# --- run: the same Node.js, the application owned by root, the data owned by the node's user ---
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    LEITPLANKEN_DATA_DIR=/data/node
WORKDIR /app
COPY --from=build /app /app
# The node image's unprivileged user "node" (uid 1000) runs it; only /data is writable for it.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Ready = the database takes writes and the migrations are applied (not just: the process lives).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 and handles SIGTERM itself (stops within 10 s); `docker stop` waits 10 s by default.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--liftoff-only", "--max-semi-space-size=8", "packages/server/src/cli.ts"]
CMD ["serve"]
