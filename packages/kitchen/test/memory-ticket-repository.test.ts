import { MemoryTicketRepository } from "../src/adapters/memory-ticket-repository.js";
import { describeTicketRepositoryContract } from "./ticket-repository.contract.js";

describeTicketRepositoryContract("memory", () => new MemoryTicketRepository());
