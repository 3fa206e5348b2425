import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import type { EventBus } from "../events/index.js";

/**
 * oms.admin.v1.DeadLetterService for one consumer queue: list what failed
 * every attempt, replay it once the cause is fixed. Served by every service
 * that consumes events, for its own queue.
 */
export function registerDeadLetters(router: ConnectRouter, bus: EventBus, queue: string): void {
  router.service(DeadLetterService, {
    async listDeadLetters() {
      const letters = await bus.deadLetters(queue);
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
      };
    },
    async replayDeadLetters(request) {
      const replayed = await bus.replayDeadLetters(queue, request.ids.length > 0 ? request.ids : undefined);
      return { replayed };
    },
  });
}
