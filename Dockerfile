# One image for the API and the workers; the command picks the role.
FROM node:20-bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive \
    CHROMIUM_PATH=/usr/bin/chromium \
    SKYPORT_DATA_DIR=/data \
    ARTIFACT_STORAGE_PATH=/data/artifacts \
    NODE_ENV=production
# Debian's Chromium (Playwright's own browser download is never used) and ffmpeg for run videos.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium ffmpeg fonts-liberation ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json drizzle.config.ts ./
COPY src ./src
COPY migrations ./migrations
VOLUME ["/data"]
EXPOSE 8000
ENTRYPOINT ["/usr/bin/tini", "--"]
# Both roles apply pending migrations on start (guarded by an advisory lock).
CMD ["npx", "tsx", "src/api.ts"]
