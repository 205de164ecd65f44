import { Injectable } from '@nestjs/common';
import { parseAllDocuments, stringify } from 'yaml';
import { badRequest } from '../common/errors.js';
import { fromOpenSlo, OpenSloError, toOpenSlo, type OpenSloDoc } from './openslo.mapping.js';
import { SloRepository } from './slo.repository.js';
import { SloService } from './slo.service.js';
import type { Slo, SloSpec } from './slo.types.js';
import { SloValidationError, validateSloSpec } from './slo.validation.js';

/** At most this many documents per import: a file, not a bulk load. */
const MAX_DOCUMENTS = 1000;

/**
 * OpenSloService imports OpenSLO v1 YAML (validated like the REST API, all
 * SLOs in one transaction) and exports SLOs as OpenSLO v1 YAML.
 */
@Injectable()
export class OpenSloService {
  constructor(
    private readonly slos: SloService,
    private readonly repository: SloRepository,
  ) {}

  async import(text: string, nowMs: number) {
    const docs = parseAllDocuments(text);
    const parsed: unknown[] = [];
    const problems: string[] = [];
    if (!Array.isArray(docs)) throw badRequest('body: not a YAML stream');
    docs.forEach((d, i) => {
      if (d.errors.length) problems.push(`document ${i + 1}: invalid YAML: ${d.errors[0].message.split('\n')[0]}`);
      else if (d.contents !== null) parsed.push(d.toJS({ maxAliasCount: 100 }));
    });
    if (problems.length) throw badRequest(problems.join('; '));
    if (parsed.length === 0) throw badRequest('body: no OpenSLO documents');
    if (parsed.length > MAX_DOCUMENTS) throw badRequest(`body: at most ${MAX_DOCUMENTS} documents per import`);
    let imported;
    try {
      imported = fromOpenSlo(parsed);
    } catch (e) {
      if (e instanceof OpenSloError) throw badRequest(e.message);
      throw e;
    }
    if (imported.length === 0) throw badRequest('body: no SLO documents to import');
    // The REST validation, document by document, every problem reported before anything is written.
    const specs: SloSpec[] = [];
    for (const { where, body } of imported) {
      try {
        specs.push(validateSloSpec(body));
      } catch (e) {
        if (e instanceof SloValidationError) problems.push(...e.problems.map((p) => `${where}: ${p}`));
        else throw e;
      }
    }
    const names = new Set<string>();
    for (const s of specs) {
      if (names.has(s.name)) problems.push(`SLO ${s.name}: defined twice`);
      names.add(s.name);
    }
    if (problems.length) throw badRequest(problems.join('; '));
    return { created: await this.slos.createMany(specs, nowMs) };
  }

  async exportOne(id: string): Promise<string> {
    return render([await this.slos.get(id)]);
  }

  async exportAll(): Promise<string> {
    return render(await this.repository.list());
  }
}

/** render writes SLO documents, then each notification target once. */
function render(slos: Slo[]): string {
  const docs: OpenSloDoc[] = [];
  const targets = new Map<string, OpenSloDoc>();
  for (const slo of slos) {
    const { slo: doc, targets: t } = toOpenSlo(slo);
    docs.push(doc);
    for (const x of t) targets.set(String((x.metadata as { name: string }).name), x);
  }
  docs.push(...targets.values());
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
