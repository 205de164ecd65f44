import zipkin from 'zipkin';
import transport from 'zipkin-transport-http';

export type ZipkinKind = 'server' | 'client' | 'producer' | 'consumer' | 'local';

export interface ZipkinSpanSpec {
  service: string;
  name: string;
  kind: ZipkinKind;
  /** Epoch microseconds. */
  startUs: number;
  durationUs: number;
  tags?: Record<string, string>;
}

const { Annotation, BatchRecorder, ExplicitContext, Tracer, jsonEncoder, option, sampler } = zipkin;

const annotations = {
  server: [Annotation.ServerRecv, Annotation.ServerSend],
  client: [Annotation.ClientSend, Annotation.ClientRecv],
  producer: [Annotation.ProducerStart, Annotation.ProducerStop],
  consumer: [Annotation.ConsumerStart, Annotation.ConsumerStop],
} as const;

/**
 * ZipkinSender reports spans the way a service instrumented with zipkin-js
 * does: the library's Tracer and BatchRecorder build the spans, and
 * zipkin-transport-http posts them as JSON v2. The transport's fetch is
 * wrapped only to count what the server acknowledged, so a test knows when
 * every span is in.
 */
export class ZipkinSender {
  private posted = 0;
  private acked = 0;
  private readonly failures: string[] = [];
  private readonly logger: InstanceType<typeof transport.HttpLogger>;
  private readonly recorder: InstanceType<typeof BatchRecorder>;

  constructor(endpoint: string, headers: Record<string, string> = {}) {
    const counted = async (url: string, init: RequestInit & { body: string }) => {
      const n = (JSON.parse(init.body) as unknown[]).length;
      this.posted += n;
      const res = await fetch(url, { method: init.method, body: init.body, headers: init.headers });
      if (res.status === 202) this.acked += n;
      else this.failures.push(`${res.status} ${await res.text()}`);
      return res;
    };
    // fetchImplementation exists in the transport (0.22) but not in its typings.
    const options = {
      endpoint,
      headers,
      jsonEncoder: jsonEncoder.JSON_V2,
      httpInterval: 50,
      // The transport types its fetch loosely; ours has the shape it calls.
      fetchImplementation: counted as never,
      log: { error: (...args: unknown[]) => this.failures.push(args.join(' ')) },
    };
    this.logger = new transport.HttpLogger(options as ConstructorParameters<typeof transport.HttpLogger>[0]);
    this.recorder = new BatchRecorder({ logger: this.logger });
  }

  private tracer(service: string) {
    return new Tracer({ ctxImpl: new ExplicitContext(), recorder: this.recorder, localServiceName: service, traceId128Bit: true, sampler: new sampler.Sampler(sampler.alwaysSample) });
  }

  /** record reports one span; `join` puts a server span on its client's id, which Zipkin marks `shared`. Returns the span's id. */
  record(s: ZipkinSpanSpec, join?: InstanceType<typeof zipkin.TraceId>): InstanceType<typeof zipkin.TraceId> {
    const tracer = this.tracer(s.service);
    const id = join
      ? new zipkin.TraceId({ traceId: join.traceId, spanId: join.spanId, parentId: join.parentSpanId, sampled: new option.Some(true) })
      : tracer.createRootId(new option.Some(true));
    // Tracer.join is in zipkin-js but missing from its typings.
    if (join) tracer.setId((tracer as unknown as { join(id: InstanceType<typeof zipkin.TraceId>): InstanceType<typeof zipkin.TraceId> }).join(id));
    else tracer.setId(id);
    // What instrumentations do first: it gives the span its localEndpoint.serviceName.
    tracer.recordServiceName(s.service);
    if (s.kind === 'local') {
      tracer.recordAnnotation(new Annotation.LocalOperationStart(s.name), s.startUs);
    } else {
      tracer.recordRpc(s.name);
      tracer.recordAnnotation(new annotations[s.kind][0](), s.startUs);
    }
    for (const [k, v] of Object.entries(s.tags ?? {})) tracer.recordBinary(k, v);
    tracer.recordAnnotation(s.kind === 'local' ? new Annotation.LocalOperationStop() : new annotations[s.kind][1](), s.startUs + s.durationUs);
    return tracer.id;
  }

  /** flush waits until every recorded span was posted and acknowledged; throws on any failure. */
  async flush(expected: number, ms = 30_000): Promise<void> {
    const start = Date.now();
    while (this.acked < expected) {
      if (this.failures.length) throw new Error(`zipkin transport: ${this.failures.join('; ')}`);
      if (Date.now() - start > ms) throw new Error(`timed out: ${this.acked} of ${expected} spans acknowledged`);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (this.failures.length) throw new Error(`zipkin transport: ${this.failures.join('; ')}`);
  }
}
