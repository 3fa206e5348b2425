import { env, readConfig, type Env } from "@oms/platform/config";

/** DEMO_DATA (default true): whether the demo menu and stock are put in, by `pnpm start` and by `pnpm seed`. */
export function readDemoDataSetting(source: Env): boolean {
  return readConfig({ demoData: env.boolean("DEMO_DATA", true) }, source).demoData;
}
