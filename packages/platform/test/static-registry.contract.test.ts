import { StaticRegistry } from "@oms/platform/discovery";
import { describeRegistryContract } from "./registry.contract.js";

describeRegistryContract("static", async () => ({ registry: new StaticRegistry(), cleanup: async () => {} }));
