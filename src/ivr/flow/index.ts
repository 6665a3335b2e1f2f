// Public face of ivr/flow: the flow document, its modules' parameters, validation and templates (pure).
export * from './flow-types.ts';
export * from './node-params.ts';
export { NODE_SPECS, keyOutlet, branchOutlet, promptIdsIn, type NodeSpec, type OutletSpec, type NodeRefs } from './node-catalog.ts';
export { validateFlow, resolveOutlet, describeIssue, type ResolvedOutlet } from './validate.ts';
export { TEMPLATES, templateFlow, type TemplateKey } from './templates.ts';
export { makeNodeId, isNodeId, NODE_ID_RE } from './ids.ts';
export { SYSTEM_VARIABLES, SYSTEM_VARIABLE_NAMES, VARIABLE_NAME_RE, referencedVariables, substitute, variablesIn, type SystemVariable } from './variables.ts';
