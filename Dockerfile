# One image per OMS service: `docker build --build-arg SERVICE=order .`
# The build stage compiles the service and the workspace packages it uses to
# JavaScript; `pnpm deploy --prod` then gathers that service with production
# dependencies only (workspace packages carry just their dist/). The runtime
# stage holds that folder and runs compiled code: no TypeScript, no tsx, no
# dev dependencies.
FROM node:24-slim AS build
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
COPY packages/testkit/package.json packages/testkit/
COPY packages/web/package.json packages/web/
RUN pnpm install --frozen-lockfile
COPY tsconfig.base.json ./
COPY packages packages
ARG SERVICE=all-in-one
RUN pnpm --filter "@oms/${SERVICE}..." run build \
  && pnpm --filter "@oms/${SERVICE}" deploy --prod --legacy /out

FROM node:24-slim AS runtime
ARG SERVICE=all-in-one
ENV NODE_ENV=production SERVICE=${SERVICE} HOST=0.0.0.0
WORKDIR /app
COPY --from=build /out /app
COPY scripts/healthcheck.mjs scripts/
USER node
# The "production" condition makes every @oms/* import resolve to compiled dist/ files.
CMD ["node", "--conditions=production", "dist/main.js"]
