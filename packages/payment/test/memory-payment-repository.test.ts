import { MemoryPaymentRepository } from "../src/adapters/memory-payment-repository.js";
import { describePaymentRepositoryContract } from "./payment-repository.contract.js";

describePaymentRepositoryContract("memory", () => new MemoryPaymentRepository());
