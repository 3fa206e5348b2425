import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { ValidationError } from "../errors/index.js";
import type { DeadLetterCursor, EventBus } from "../events/index.js";

const defaultPageSize = 20;
const tokenPrefix = "dead-letters-after:";
/** The prefix, the offset (a positive whole number) and the last letter's id (whatever its publisher gave it). */
const tokenPattern = new RegExp(`^${tokenPrefix}([1-9]\\d{0,8}):(.*)$`, "s");

/**
 * oms.admin.v1.DeadLetterService for one consumer queue: list what failed
 * every attempt, a page at a time, and replay it once the cause is fixed.
 * Served by every service that consumes events, for its own queue.
 */
export function registerDeadLetters(router: ConnectRouter, bus: EventBus, queue: string): void {
  router.service(DeadLetterService, {
    async listDeadLetters(request) {
      const limit = request.pageSize === 0 ? defaultPageSize : request.pageSize;
      const after = request.pageToken === "" ? undefined : decodePageToken(request.pageToken);
      // One more than the page: whether there is a next one.
      const found = await bus.deadLetters(queue, { limit: limit + 1, after });
      const letters = found.slice(0, limit);
      const last = letters.at(-1);
      const next = found.length > limit && last ? { offset: (after?.offset ?? 0) + letters.length, lastId: last.id } : undefined;
      return {
        deadLetters: letters.map((letter) => ({
          id: letter.id,
          type: letter.type,
          queue: letter.queue,
          attempts: letter.attempts,
          error: letter.error,
          time: timestampFromDate(letter.time),
          deadTime: timestampFromDate(letter.deadTime),
          body: letter.body,
          headers: letter.headers,
        })),
        nextPageToken: next ? encodePageToken(next) : "",
      };
    },
    async replayDeadLetters(request) {
      const replayed = await bus.replayDeadLetters(queue, request.ids.length > 0 ? request.ids : undefined);
      return { replayed };
    },
  });
}

/** Opaque to callers: they pass it back unchanged, so its form may change. */
function encodePageToken(cursor: DeadLetterCursor): string {
  return Buffer.from(`${tokenPrefix}${cursor.offset}:${cursor.lastId}`).toString("base64url");
}

/** Only this service reads its tokens: the contract calls them opaque. */
function decodePageToken(token: string): DeadLetterCursor {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString() : "";
  const cursor = tokenPattern.exec(text);
  if (!cursor) throw new ValidationError("page_token", "is not a page token this service issued");
  return { offset: Number(cursor[1]), lastId: cursor[2]! };
}
