import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry, type Telemetry } from './start';

export type { ReadableSpan };

/** Tracing on in this process with every span kept in memory (tests): `spans()` are the ended ones. */
export async function startMemoryTracing(serviceName = 'weft-test'): Promise<Telemetry & { spans(): ReadableSpan[]; reset(): void }> {
  const exporter = new InMemorySpanExporter();
  const telemetry = await startTelemetry(serviceName, { spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return { ...telemetry, spans: () => exporter.getFinishedSpans(), reset: () => exporter.reset() };
}
