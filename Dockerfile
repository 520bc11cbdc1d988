# Multi-stage, non-root image with a health check (STYLE.md, after outline's Dockerfile).
# Build: docker build -t budbringer .
# Run:   docker run -p 8080:8080 -v bb-data:/data -e PUBLIC_URL=https://post.example.kommune.no budbringer

# Node 24: a maintained LTS (Node 20 reached its end of life in April 2026). The code still
# runs on Node >= 20 (package.json engines); commander is pinned to 14.x for that reason.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# swagger-ui-dist depends on @scarf/scarf, whose install script reports downloads: it is
# denied in package.json (allowScripts, scarfSettings) and switched off here for older npm.
ENV SCARF_ANALYTICS=false
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY config ./config
# npm run build compiles to dist/ and copies the WSDL the SOAP door reads at run time.
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
# /metrics is published only with a token: set METRICS_TOKEN (16+ characters) to scrape it.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/data METRICS_REQUIRE_TOKEN=true
WORKDIR /app
# /print: a shared print drop (PRINT_DIR) in docker-compose.yml; a fresh named volume takes
# this owner and mode, so the non-root node user can write there, and a print provider's
# container in group node (gid 1000) can read and take the files (setgid: new files keep the
# group; the files are 0640). docs/operations.md, "Print provider".
RUN mkdir -p /data /print && chown node:node /data /print && chmod 2770 /print
# The code stays root's, read-only to the node user: only /data and /print are written.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY --from=build /app/package.json ./package.json
COPY bin ./bin
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
