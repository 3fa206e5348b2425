import type { DeadLetterCursor, DeadLetterPageQuery } from "./event-bus.js";

/** How many letters from the head of the queue an adapter reads to serve `page`: those before it and its own. */
export function lettersToRead(page: DeadLetterPageQuery): number {
  return (page.after?.offset ?? 0) + page.limit;
}

/** The page `page` asks for, out of `letters`: the queue's letters from its head, at least lettersToRead of them when it has that many. */
export function pageOf<T extends { id: string }>(letters: readonly T[], page: DeadLetterPageQuery): T[] {
  const start = pageStart(letters, page.after);
  return letters.slice(start, start + page.limit);
}

/**
 * Right after the cursor's last letter: at its offset when nothing moved, else
 * where that letter went (a replay of letters before it moves it forward, never
 * back), else at the offset. Looks back from the offset, so an unchanged queue
 * costs one comparison.
 */
function pageStart(letters: ReadonlyArray<{ id: string }>, after: DeadLetterCursor | undefined): number {
  if (!after) return 0;
  const end = Math.min(after.offset, letters.length);
  for (let at = end - 1; at >= 0; at--) if (letters[at]!.id === after.lastId) return at + 1;
  return end;
}
