import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry, type Telemetry } from './start';

export type { ReadableSpan };

/**
 * Tracing on in this process with every span kept in memory (tests): `spans()` are the ended ones
 * exported so far (an export waits for the resource's detected attributes: `flush()` waits for them).
 */
export async function startMemoryTracing(serviceName = 'weft-test'): Promise<Telemetry & { spans(): ReadableSpan[]; flush(): Promise<void>; reset(): void }> {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const telemetry = await startTelemetry(serviceName, { spanProcessors: [processor] });
  return { ...telemetry, spans: () => exporter.getFinishedSpans(), flush: () => processor.forceFlush(), reset: () => exporter.reset() };
}
