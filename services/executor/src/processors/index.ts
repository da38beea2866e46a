import type { StepHttpClient } from '../http/client';
import { pure } from './core';
import { httpRequest } from './http-request';
import type { NodeProcessor } from './types';

/** One processor per executable node kind. */
export function createProcessors(deps: { http: StepHttpClient }): Record<string, NodeProcessor> {
  return {
    trigger: pure,
    transform: pure,
    branch: pure,
    http_request: httpRequest(deps.http),
  };
}
export type { NodeProcessor, StepContext } from './types';
