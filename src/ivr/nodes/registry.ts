// The factory registry (jambonz lib/tasks style): node type → the file that implements it.
import type { FlowNode, NodeType } from '../flow/index.ts';
import type { IvrNode } from '../runtime/runtime-types.ts';
import { createCollectNode } from './collect.ts';
import { createConditionNode } from './condition.ts';
import { createEndNode } from './end.ts';
import { createHoursNode } from './hours.ts';
import { createHttpNode } from './http.ts';
import { createMenuNode } from './menu.ts';
import { createPlayNode } from './play.ts';
import { createSpeechMenuNode } from './speech-menu.ts';
import { createStartNode } from './start.ts';
import { createSurveyNode } from './survey.ts';
import { createToAgentNode } from './to-agent.ts';
import { createToExtensionNode } from './to-extension.ts';
import { createToExternalNode } from './to-external.ts';
import { createVoicemailNode } from './voicemail.ts';

const FACTORIES: Record<NodeType, (def: FlowNode) => IvrNode> = {
  start: createStartNode,
  play: createPlayNode,
  menu: createMenuNode,
  speechMenu: createSpeechMenuNode,
  toAgent: createToAgentNode,
  hours: createHoursNode,
  survey: createSurveyNode,
  toExternal: createToExternalNode,
  collect: createCollectNode,
  http: createHttpNode,
  condition: createConditionNode,
  toExtension: createToExtensionNode,
  voicemail: createVoicemailNode,
  end: createEndNode,
};

export function createNode(def: FlowNode): IvrNode {
  return FACTORIES[def.type](def);
}
