import { MemoryOrderRepository } from "../src/adapters/memory-order-repository.js";
import { describeOrderRepositoryContract } from "./order-repository.contract.js";

describeOrderRepositoryContract("memory", () => new MemoryOrderRepository());
