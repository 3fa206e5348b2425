import { useMutation, useQuery } from "@connectrpc/connect-query";
import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useApp } from "../app-context.js";
import { ErrorNote, Loading } from "../components.js";
import { describeError } from "../errors.js";
import type { ServiceName } from "../transports.js";

const services: ServiceName[] = ["order", "payment", "stock", "kitchen", "menu"];

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
  const letters = useQuery(DeadLetterService.method.listDeadLetters, {}, { transport, refetchInterval: 5_000 });
  const replay = useMutation(DeadLetterService.method.replayDeadLetters, { transport, onSuccess: () => void letters.refetch() });
  return (
    <section aria-labelledby={`dl-${service}`} className="dead-letters">
      <h2 id={`dl-${service}`}>{service}</h2>
      {letters.isPending && <Loading what={`${service}'s dead letters`} />}
      {letters.isError && <ErrorNote>{describeError(letters.error)}</ErrorNote>}
      {letters.data &&
        (letters.data.deadLetters.length === 0 ? (
          <p>None.</p>
        ) : (
          <>
            <ul>
              {letters.data.deadLetters.map((letter) => (
                <li key={letter.id}>
                  <strong>{letter.type}</strong> after {letter.attempts} tries{letter.deadTime ? `, ${timestampDate(letter.deadTime).toLocaleString()}` : ""}: {letter.error}
                </li>
              ))}
            </ul>
            <button type="button" onClick={() => replay.mutate({ ids: letters.data.deadLetters.map((letter) => letter.id) })} disabled={replay.isPending}>
              Replay all {letters.data.deadLetters.length}
            </button>
          </>
        ))}
      {replay.isSuccess && <p role="status">Replayed {replay.data.replayed}.</p>}
      {replay.isError && <ErrorNote>{describeError(replay.error)}</ErrorNote>}
    </section>
  );
}
