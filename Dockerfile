# One image for every OMS service: `docker build --build-arg SERVICE=order .`
# Multi-stage: dependencies are installed once in a cached layer, the runtime
# stage carries only the workspace and its production dependencies.
FROM node:24-slim AS deps
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/platform/package.json packages/platform/
COPY packages/menu/package.json packages/menu/
COPY packages/stock/package.json packages/stock/
COPY packages/order/package.json packages/order/
COPY packages/payment/package.json packages/payment/
COPY packages/kitchen/package.json packages/kitchen/
COPY packages/all-in-one/package.json packages/all-in-one/
RUN pnpm install --frozen-lockfile

FROM node:24-slim AS runtime
ARG SERVICE=all-in-one
ENV NODE_ENV=production SERVICE=${SERVICE} HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app /app
COPY packages packages
COPY tsconfig.base.json tsconfig.json ./
COPY scripts/healthcheck.mjs scripts/
USER node
# tsx runs the TypeScript sources as they are: no separate build output to drift.
CMD ["sh", "-c", "exec node --import tsx packages/${SERVICE}/src/main.ts"]
