import { useMutation, useQuery } from "@connectrpc/connect-query";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useState } from "react";
import { useApp } from "../app-context.js";
import { ErrorNote, Loading } from "../components.js";
import { describeError } from "../errors.js";
import type { ServiceName } from "../transports.js";

const services: ServiceName[] = ["order", "payment", "stock", "kitchen", "menu"];
/** Letters a page shows: a queue that filled up is read a page at a time, not all at once. */
const pageSize = 20;

/** Events each service could not handle after every retry, and their replay. */
export function DeadLettersPage() {
  return (
    <section aria-labelledby="dead-letters-title">
      <h1 id="dead-letters-title">Dead letters</h1>
      {services.map((service) => (
        <ServiceDeadLetters key={service} service={service} />
      ))}
    </section>
  );
}

function ServiceDeadLetters({ service }: { service: ServiceName }) {
  const { transports } = useApp();
  const transport = transports[service];
  // The pages before this one, so "Previous page" goes back without the server keeping anything.
  const [pageTokens, setPageTokens] = useState<string[]>([""]);
  const pageToken = pageTokens.at(-1) ?? "";
  const letters = useQuery(DeadLetterService.method.listDeadLetters, { pageSize, pageToken }, { transport, refetchInterval: 5_000 });
  // Replayed letters leave the queue: read it again from its head.
  const replay = useMutation(DeadLetterService.method.replayDeadLetters, {
    transport,
    onSuccess: () => {
      setPageTokens([""]);
      void letters.refetch();
    },
  });
  const shown = letters.data?.deadLetters ?? [];
  const nextPageToken = letters.data?.nextPageToken ?? "";
  return (
    <section aria-labelledby={`dl-${service}`} className="dead-letters">
      <h2 id={`dl-${service}`}>{service}</h2>
      {letters.isPending && <Loading what={`${service}'s dead letters`} />}
      {letters.isError && <ErrorNote>{describeError(letters.error)}</ErrorNote>}
      {letters.data &&
        (shown.length === 0 && pageTokens.length === 1 ? (
          <p>None.</p>
        ) : (
          <>
            <ul>
              {shown.map((letter) => (
                <li key={letter.id}>
                  <strong>{letter.type}</strong> after {letter.attempts} tries{letter.deadTime ? `, ${timestampDate(letter.deadTime).toLocaleString()}` : ""}: {letter.error}
                </li>
              ))}
            </ul>
            <div className="pager">
              <button type="button" onClick={() => replay.mutate({ ids: shown.map((letter) => letter.id) })} disabled={replay.isPending || shown.length === 0}>
                Replay these {shown.length}
              </button>
              {pageTokens.length > 1 && (
                <button type="button" onClick={() => setPageTokens(pageTokens.slice(0, -1))}>
                  Previous page
                </button>
              )}
              {nextPageToken !== "" && (
                <button type="button" onClick={() => setPageTokens([...pageTokens, nextPageToken])}>
                  Next page
                </button>
              )}
            </div>
          </>
        ))}
      {replay.isSuccess && <p role="status">Replayed {replay.data.replayed}.</p>}
      {replay.isError && <ErrorNote>{describeError(replay.error)}</ErrorNote>}
    </section>
  );
}
