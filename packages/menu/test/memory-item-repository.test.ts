import { MemoryItemRepository } from "../src/adapters/memory-item-repository.js";
import { describeItemRepositoryContract } from "./item-repository.contract.js";

describeItemRepositoryContract("memory", async () => new MemoryItemRepository());
