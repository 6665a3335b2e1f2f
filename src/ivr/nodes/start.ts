// 开始: where every call enters the flow.
import type { StartParams } from '../flow/index.ts';
import { defineNode } from './node-kit.ts';

export const createStartNode = defineNode<StartParams>('start', async () => ({ outlet: 'next' }));
