# voc: one image for the api, the workers and the scheduler.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk fonts-wqy-microhei python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV CHROME_PATH=/usr/bin/chromium NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY tsconfig.json ./
COPY core core
COPY crawlers crawlers
COPY workers workers
COPY analysis analysis
COPY store store
COPY reports reports
COPY templates templates
COPY lexicons lexicons
COPY cli cli
COPY demo demo
COPY bench bench
COPY server server
COPY web web
COPY bin bin
RUN npm ci --no-audit --no-fund && npm run build:web && npm prune --omit=dev
USER node
ENTRYPOINT ["node", "bin/voc.js"]
