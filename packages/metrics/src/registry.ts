import { Registry, collectDefaultMetrics } from 'prom-client';
import { domainMetrics } from './domain';

/**
 * One Prometheus registry per service, labelled with the service's name, with Node's default
 * metrics (CPU, memory, GC, event-loop delay as `weft_nodejs_eventloop_lag_*`, open handles) and
 * the platform's own (`weftMetrics`). Label sets stay bounded: no run, step or org ids.
 */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'weft_', eventLoopMonitoringPrecision: 20 });
  for (const metric of domainMetrics()) registry.registerMetric(metric);
  return registry;
}
