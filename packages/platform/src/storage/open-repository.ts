import type { Db } from "mongodb";
import type { Logger } from "../logging.js";
import { connectMongo, type MongoStorage } from "./connect-mongo.js";

export interface RepositoryChoice<R> {
  /** One handed in by the caller (tests) wins. */
  given?: R;
  /** MONGODB_URL: MongoDB when set. */
  mongodbUrl?: string;
  /** Opens the MongoDB adapter on the database (indexes first). */
  mongo: (db: Db) => Promise<R>;
  /** The in-memory adapter (the embedded mode). */
  memory: () => R;
  logger?: Logger;
}

/**
 * A service's repository as configuration asks: the one given, MongoDB, or
 * memory; with the MongoDB connection to ping (readiness) and close (stop)
 * when there is one. A failure while opening closes the connection again.
 */
export async function openRepository<R>(choice: RepositoryChoice<R>): Promise<{ repository: R; storage?: MongoStorage }> {
  if (choice.given) return { repository: choice.given };
  if (!choice.mongodbUrl) return { repository: choice.memory() };
  const storage = await connectMongo(choice.mongodbUrl, { logger: choice.logger });
  try {
    return { repository: await choice.mongo(storage.db), storage };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
