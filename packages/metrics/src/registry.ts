import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per process, labelled with the service's name, with Node's default
 * metrics (CPU, memory, GC, event-loop delay as `nodejs_eventloop_lag_*`, open handles).
 * Label sets stay bounded: no run, step or org ids.
 */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'weft_', eventLoopMonitoringPrecision: 20 });
  return registry;
}
