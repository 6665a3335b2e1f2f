// Public face of ivr/nodes: the factory, and the pure helpers worth testing or reusing.
export { createNode } from './registry.ts';
export { isOpen, localTime } from './hours.ts';
export { compare } from './condition.ts';
export { specifiedSeatUrl, type SpecifiedSeatRequest } from './to-agent.ts';
