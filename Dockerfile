# One image for the API and the workers; the command picks the role:
#   node dist/api.js (default) · node dist/worker.js · node dist/all.js · node dist/db/migrate.js · node dist/rotate-secret.js

# --- build: TypeScript → dist/ (scripts/build.ts, esbuild file by file; no tsx in the runtime stage) ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
RUN npm run build

# --- runtime ---
FROM node:20-bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive \
    CHROMIUM_PATH=/usr/bin/chromium \
    SKYPORT_DATA_DIR=/data \
    ARTIFACT_STORAGE_PATH=/data/artifacts \
    NODE_ENV=production
# Debian's Chromium (Playwright's own browser download is never used), ffmpeg for run videos, fonts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium ffmpeg fonts-liberation fonts-noto-color-emoji ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
# A non-root user owning the data folder (its home holds Playwright's link to Debian's ffmpeg); /data/keys
# exists so a named volume mounted there (the compose file's sealing key) starts owned by that user.
RUN groupadd --system --gid 10001 skyport \
 && useradd --system --uid 10001 --gid skyport --create-home --home-dir /home/skyport skyport \
 && mkdir -p /data/keys && chown -R skyport:skyport /data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# dist/db/migrate.js applies ../../migrations and dist/services/health.service.js reads ../../package.json:
# dist/ sits beside them exactly as in the source tree.
COPY migrations ./migrations
COPY --from=build /app/dist ./dist
USER skyport
VOLUME ["/data"]
EXPOSE 8000
ENTRYPOINT ["/usr/bin/tini", "--"]
# Both roles apply pending migrations on start (guarded by an advisory lock).
CMD ["node", "dist/api.js"]
