import { evaluatePureNode } from '@weft/engine';
import type { NodeProcessor } from './types';

/** trigger, transform and branch: the engine's pure evaluation (the orchestrator usually runs these inline). */
export const pure: NodeProcessor<'trigger' | 'transform' | 'branch'> = async ({ config, context, budget, nodeType }) => evaluatePureNode({ type: nodeType, config }, context, budget).output;
