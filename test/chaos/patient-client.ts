/**
 * How the chaos suite's customers and staff call the services: like a client
 * behind a load balancer, spreading calls over a service's instances and, on
 * a refused connection, a timeout or an answer that says "try again"
 * (unavailable and friends), retrying on another instance with growing pauses
 * until a bound. Every other answer is final and returned as is. The tally
 * counts what was seen, for the report.
 */
export interface Answer {
  /** HTTP status; 0 when no answer came within the bound. */
  status: number;
  /** The Connect error code; undefined on success. */
  code?: string;
  body: Record<string, any>;
}

export interface CallOptions {
  token: string;
  /** One attempt's deadline; a short one makes a request time out mid-flight on purpose. */
  attemptTimeoutMs?: number;
  /** Give up retrying after this long (the answer then has status 0). */
  giveUpAfterMs?: number;
}

/** Codes that mean "not done, try again": a service, its peer or its database is down or slow. */
/**
 * An error without a Connect body (a draining server's plain 503) means what Connect's protocol says its
 * HTTP status means, as a Connect client would read it.
 */
function codeOfStatus(status: number): string {
  const codes: Record<number, string> = { 400: "internal", 401: "unauthenticated", 403: "permission_denied", 404: "unimplemented", 429: "unavailable", 502: "unavailable", 503: "unavailable", 504: "unavailable" };
  return codes[status] ?? "unknown";
}

const retryable = new Set(["unavailable", "deadline_exceeded", "aborted", "resource_exhausted", "unknown", "internal"]);

export class PatientClient {
  readonly tally = new Map<string, number>();
  private turn = 0;

  constructor(private readonly urlsOf: (service: string) => string[]) {}

  /** A Connect unary call with JSON: `call("order", "oms.order.v1.OrderService/GetOrder", { id }, { token })`. */
  async call(service: string, path: string, body: unknown, options: CallOptions): Promise<Answer> {
    const deadline = Date.now() + (options.giveUpAfterMs ?? 30_000);
    let pause = 100;
    let attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
    for (;;) {
      const urls = this.urlsOf(service);
      const url = urls[this.turn++ % urls.length]!;
      const answer = await this.attempt(`${url}/${path}`, body, options.token, attemptTimeoutMs);
      if (answer) {
        this.count(answer.code ?? "ok");
        if (!retryable.has(answer.code ?? "")) return answer;
      }
      if (Date.now() + pause > deadline) return { status: 0, code: answer?.code ?? "gave_up", body: answer?.body ?? {} };
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 2_000);
      // Only the first attempt is cut short on purpose; retries wait for a real answer.
      attemptTimeoutMs = Math.max(attemptTimeoutMs, 5_000);
    }
  }

  /** A POST with no body to a page (the simulated checkout's Pay), on the instance in the URL or, when that one is down, another. */
  async post(service: string, pageUrl: string, token = ""): Promise<number> {
    const path = new URL(pageUrl).pathname;
    const deadline = Date.now() + 30_000;
    let pause = 100;
    for (let attempt = 0; ; attempt++) {
      const urls = this.urlsOf(service);
      const base = attempt === 0 ? new URL(pageUrl).origin : urls[this.turn++ % urls.length]!;
      const status = await fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(5_000),
      }).then((response) => (void response.body?.cancel(), response.status), () => 0);
      this.count(`page ${status || "unreachable"}`);
      if (status !== 0 && status < 500) return status;
      if (Date.now() + pause > deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 2_000);
    }
  }

  private async attempt(url: string, body: unknown, token: string, timeoutMs: number): Promise<Answer | undefined> {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as Record<string, any>) : {};
      return { status: response.status, code: response.ok ? undefined : String(parsed.code ?? codeOfStatus(response.status)), body: parsed };
    } catch (error) {
      this.count(error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable");
      return undefined;
    }
  }

  private count(what: string): void {
    this.tally.set(what, (this.tally.get(what) ?? 0) + 1);
  }
}
