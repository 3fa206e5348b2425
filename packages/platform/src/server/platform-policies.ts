import { DeadLetterService } from "@oms/contracts/admin/v1/dead_letters";
import { FaultService } from "@oms/contracts/admin/v1/faults";
import { healthV1, reflectionV1, reflectionV1alpha } from "./grpc-contracts.js";
import { allow, anyone, mergePolicies, servicePolicies, type Policies } from "../auth/index.js";

/**
 * Who may call what every service serves beside its own RPCs: health and
 * reflection are open (probes and grpcurl need no token; reflection can be
 * switched off instead), dead letters and fault switches are staff's.
 */
const served: Policies = mergePolicies(
  servicePolicies(healthV1.Health, { check: anyone, watch: anyone }),
  servicePolicies(reflectionV1.ServerReflection, { serverReflectionInfo: anyone }),
  servicePolicies(reflectionV1alpha.ServerReflection, { serverReflectionInfo: anyone }),
  servicePolicies(DeadLetterService, { listDeadLetters: allow("staff"), replayDeadLetters: allow("staff") }),
  servicePolicies(FaultService, { getFaults: allow("staff"), setFaults: allow("staff") }),
);

/** The service's own policies and the platform's, one table. */
export function platformPolicies(own: Policies): Policies {
  return mergePolicies(served, own);
}
