// typescript-eslint, strict and type-checked, over every package, test, bench and script.
// Generated code is regenerated, never linted.
import tseslint from "typescript-eslint";

const tests = ["**/test/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts", "vitest.config.ts"];

export default tseslint.config(
  { ignores: ["**/gen/**", "**/node_modules/**", ".test-results/**", "bench/results/**", "**/.stryker-tmp/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      // Numbers and booleans in template strings read fine in messages and logs.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `() => void promise` and one-line arrow bodies say what they mean.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true, ignoreVoidOperator: true }],
      // noUncheckedIndexedAccess types every indexed read as possibly undefined; `!` marks the reads known to hold.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Handlers implement async interfaces (Connect, Fastify, ports) whether or not they wait for anything.
      "@typescript-eslint/require-await": "off",
      // Use cases record outcomes inside update closures (`update(id, (order) => (changed = order.cancel()))`);
      // narrowing cannot see those assignments and calls every check after them unnecessary.
      "@typescript-eslint/no-unnecessary-condition": "off",
      // A leading underscore names what is left out on purpose (`const { secret: _secret, ...rest } = ...`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Tests read JSON answers and poke at internals: `any` there is the point, not a leak.
    files: tests,
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/unbound-method": "off",
      // Tests assert on errors they caught, of the class they expect.
      "@typescript-eslint/no-unsafe-class-instance-assignment": "off",
    },
  },
);
