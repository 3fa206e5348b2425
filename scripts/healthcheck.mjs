// Container health check: GET /readyz of the service this image runs
// (SERVICE, set by the Dockerfile) on its configured port.
const service = process.env.SERVICE ?? "order";
const defaults = { menu: 8081, stock: 8082, order: 8083, payment: 8084, kitchen: 8085, "all-in-one": 8083 };
const port = process.env[`${service.toUpperCase()}_PORT`] ?? defaults[service] ?? 8083;
fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
