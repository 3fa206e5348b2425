/**
 * The architecture, checked: dependencies point inward (rpc/adapters -> app -> domain),
 * services share only contracts and platform, and packages reach each other by name.
 * `pnpm lint` runs it; a broken rule names the file and the import.
 */
const services = "(menu|stock|order|payment|kitchen)";

module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "Domain code knows no framework, driver, SDK or adapter: only its own domain, platform errors and ids.",
      severity: "error",
      from: { path: `^packages/${services}/src/domain/` },
      to: {
        pathNot: [`^packages/$1/src/domain/`, "^packages/platform/src/(errors|ids)(/|\\.ts$)", "^packages/platform/src/aggregate/"],
      },
    },
    {
      name: "app-knows-no-wire-or-adapter",
      comment: "Use cases see ports, not generated contracts, adapters, routes or wiring.",
      severity: "error",
      from: { path: `^packages/${services}/src/app/` },
      to: { path: [`^packages/contracts/`, `^packages/${services}/src/(adapters/|rpc\\.ts|service\\.ts|main\\.ts)`] },
    },
    {
      name: "services-stay-apart",
      comment: "A service never imports another service's code: they share contracts and platform only.",
      severity: "error",
      from: { path: `^packages/${services}/` },
      to: { path: `^packages/${services}/`, pathNot: "^packages/$1/" },
    },
    {
      name: "platform-serves-everyone",
      comment: "The platform is shared by the services, so it cannot depend on any of them.",
      severity: "error",
      from: { path: "^packages/(platform|contracts)/" },
      to: { path: `^packages/(${services.slice(1, -1)}|all-in-one)/` },
    },
    {
      name: "packages-by-name",
      comment: "Reach another package through its name and exports (@oms/...), never by a relative path into it.",
      severity: "error",
      // One deliberate exception: the CreateOrder crash repro drives order's and stock's use cases together,
      // in process and white-box, to stop between their steps deterministically.
      from: { path: "^(packages/([^/]+)/|test/|bench/|scripts/)", pathNot: "^test/e2e/create-order-crash\\.test\\.ts$" },
      to: { dependencyTypes: ["local"], path: "^packages/([^/]+)/", pathNot: ["^packages/$2/"] },
    },
    {
      name: "packages-stay-out-of-the-root-tests",
      comment: "Packages do not reach into the repository's test folder by path.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["/gen/", "/dist/", "node_modules", "\\.test-results", "\\.stryker-tmp"] },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    preserveSymlinks: false,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
