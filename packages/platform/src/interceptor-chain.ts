import type { DescMessage } from "@bufbuild/protobuf";
import type { Interceptor, UnaryRequest, UnaryResponse } from "@connectrpc/connect";

/** A unary call as interceptors wrap it. */
export type UnaryFn<I extends DescMessage = DescMessage, O extends DescMessage = DescMessage> = (request: UnaryRequest<I, O>) => Promise<UnaryResponse<I, O>>;

/**
 * The interceptors around `next`, the first outermost: what connect-es's
 * own (unexported) applyInterceptors does, for the platform's unary paths
 * that call it without connect-es's call machinery (peer-unary.ts, the
 * server's unary-invoke.ts).
 */
export function chainInterceptors<I extends DescMessage, O extends DescMessage>(next: UnaryFn<I, O>, interceptors: readonly Interceptor[]): UnaryFn<I, O> {
  let wrapped = next;
  for (let index = interceptors.length - 1; index >= 0; index--) wrapped = interceptors[index]!(wrapped as never) as unknown as UnaryFn<I, O>;
  return wrapped;
}
