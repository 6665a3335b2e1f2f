// Public face of the registrar: location service, digest authenticator, REGISTER handling.
export * from './registrar-types.ts';
export { LocationService } from './location-service.ts';
export { DigestAuthenticator, DEFAULT_DIGEST_ALGORITHMS, type AuthOutcome, type ChallengeKind, type AuthenticatorOptions } from './authenticator.ts';
export { Registrar, type RegistrarOptions, type RegisterInput, type RegisterAnswer } from './registrar.ts';
export { RegisterLane, type RegisterLaneOptions } from './register-lane.ts';
export { LaneWorkers, type LaneWorkersOptions } from './lane-workers.ts';
export { CredentialTable } from './credential-table.ts';
