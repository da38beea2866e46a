import { evaluate, isTruthy, renderTemplate } from '@weft/engine';
import type { NodeProcessor } from './types';

export const trigger: NodeProcessor = async ({ context }) => context.input ?? {};

export const transform: NodeProcessor = async ({ config, context }) => {
  const data = config.input !== undefined ? renderTemplate(config.input, context) : context;
  return evaluate(String(config.expression), data) ?? null;
};

export const branch: NodeProcessor = async ({ config, context }) => ({
  result: isTruthy(evaluate(String(config.condition), context)),
});
