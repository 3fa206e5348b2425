import { MemoryReservationRepository } from "../src/adapters/memory-reservation-repository.js";
import { MemoryStockLevelRepository } from "../src/adapters/memory-stock-level-repository.js";
import { describeReservationRepositoryContract } from "./reservation-repository.contract.js";
import { describeStockLevelRepositoryContract } from "./stock-level-repository.contract.js";

describeStockLevelRepositoryContract("memory", async () => new MemoryStockLevelRepository());
describeReservationRepositoryContract("memory", async () => new MemoryReservationRepository());
