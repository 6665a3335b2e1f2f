// Public face of ivr/runtime: the CallControl interface and the ACD's request/outcome types, the
// interpreter, the trace, and the in-memory SimulatedCall.
export * from './call-control.ts';
export * from './queue-types.ts';
export * from './trace.ts';
export { IvrInterpreter, runIvr, freezeSnapshot, boxTimeZone, type InterpreterOptions } from './interpreter.ts';
export { DEFAULT_LIMITS, type FlowSnapshot, type RuntimeLimits, type NodeContext, type NodeResult, type IvrNode } from './runtime-types.ts';
export { SimulatedCall, OUTCOME_CHOICES, type SimulatedCallOptions, type SimLine, type SimWaiting, type OutcomeOp } from './simulated-call.ts';
export { postJson, fieldOf, type PostJsonResult } from './http-client.ts';
export { withDeadline } from './deadline.ts';
