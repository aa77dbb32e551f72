# campaign-mock as a sidecar: docker run -p 4010:4010 campaign-mock
# Build stage: compile better-sqlite3 and the TypeScript, then drop the dev dependencies.
FROM node:20-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are here. better-sqlite3 is built next.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build parses the specs and the bundled scenarios once, so the container starts without parsing
# YAML, and starts the mock once (hence the fixtures too) to keep V8's compiled code for its next starts.
COPY specs ./specs
COPY scenarios ./scenarios
COPY fixtures ./fixtures
RUN npm run build && npm prune --omit=dev \
 # better-sqlite3 needs only its compiled addon at run time, not its sources and objects.
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
      node_modules/better-sqlite3/build/Release/obj.target node_modules/better-sqlite3/build/Release/.deps \
      node_modules/better-sqlite3/build/Release/test_extension.node node_modules/better-sqlite3/build/deps

# Runtime stage: production dependencies, the build and the specs; no compiler, not root.
FROM node:20-slim
ENV NODE_ENV=production \
    CAMPAIGN_MOCK_HOST=0.0.0.0 \
    PORT=4010
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY specs ./specs
COPY scenarios ./scenarios
COPY fixtures ./fixtures
# State lives in memory unless CAMPAIGN_MOCK_DB points into this volume, e.g. /data/mock.sqlite.
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4010
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4010) + '/__admin/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "serve"]
