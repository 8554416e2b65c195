/**
 * @fileoverview The mix stage's body. Pass 1 measures each source (docs and bytes) and gives
 * every document a seeded rank; the documents with the lowest ranks make up the partial copy.
 * Pass 2 streams the sources (repeated `copies` times, then the partial copy) and interleaves
 * them in proportion: the next document always comes from the source furthest behind its
 * target share. Deterministic under the run seed.
 */
import { DocumentsWriter, newIssues, readDocumentsWithSplit, reportIssues, type Document, type DocumentIssues } from '../../artifacts/documents.js';
import { hash32 } from '../../util/hash.js';
import { errors } from '../../errors/index.js';
import type { StageContext } from '../define.js';
import type { MixOptions } from '../options.gen.js';
import { planMixture, type SourcePlan } from './plan.js';

interface Measured { docs: number; bytes: number; ranks: Uint32Array; sizes: Float64Array }

async function measure(dir: string, seed: string, issues: DocumentIssues): Promise<Measured> {
  const ranks: number[] = [], sizes: number[] = [];
  let bytes = 0;
  for await (const { doc } of readDocumentsWithSplit([dir], issues)) {
    const b = Buffer.byteLength(doc.text);
    ranks.push(hash32(`${seed}:${ranks.length}`));
    sizes.push(b);
    bytes += b;
  }
  return { docs: ranks.length, bytes, ranks: Uint32Array.from(ranks), sizes: Float64Array.from(sizes) };
}

/**
 * Marks the partial copy: in rank order, take a document when it brings the total closer to
 * `rest` docs (or bytes), so a large document never overshoots the target by more than it helps.
 */
function partialSelection(m: Measured, rest: number, unit: 'docs' | 'bytes'): Uint8Array {
  const order = Array.from(m.ranks.keys()).sort((a, b) => m.ranks[a]! - m.ranks[b]! || a - b);
  const picked = new Uint8Array(m.docs);
  let acc = 0;
  for (const i of order) {
    const size = unit === 'docs' ? 1 : m.sizes[i]!;
    if (Math.abs(acc + size - rest) < Math.abs(acc - rest)) { picked[i] = 1; acc += size; }
    if (acc >= rest) break;
  }
  return picked;
}

async function* sourceStream(dir: string, plan: SourcePlan, picked: Uint8Array, name: string): AsyncGenerator<Document> {
  for (let copy = 0; copy <= plan.copies; copy++) {
    let i = 0;
    for await (const { doc } of readDocumentsWithSplit([dir], newIssues())) {
      if (copy < plan.copies || picked[i]) yield { ...doc, meta: { ...doc.meta, mix_source: name, ...(copy > 0 ? { mix_copy: copy } : {}) } };
      i++;
    }
  }
}

function weightsFor(ctx: StageContext, o: MixOptions, names: string[]): number[] {
  const w = o.weights as number[] | Record<string, number>;
  if (Array.isArray(w)) {
    if (w.length === 0) return names.map(() => 1);
    if (w.length !== names.length) throw errors.mixWeightCount({ weights: w.length, sources: names });
    return w;
  }
  const unknown = Object.keys(w).filter((k) => !names.includes(k));
  if (unknown.length) throw errors.mixUnknownSources({ unknown, sources: names });
  void ctx;
  return names.map((n) => w[n] ?? 0);
}

export async function runMix(ctx: StageContext, o: MixOptions): Promise<void> {
  const refs = ctx.inputs.sources ?? [];
  const names = refs.map((r, i) => r.from || `source${i}`);
  const weights = weightsFor(ctx, o, names);
  const issues = newIssues();
  const measured = await Promise.all(refs.map((r, i) => measure(r.path, `${ctx.seed}:${ctx.name}:${i}`, issues)));
  reportIssues(ctx, issues);
  const sizes = measured.map((m) => (o.unit === 'bytes' ? m.bytes : m.docs));
  const plans = planMixture(sizes, weights, { total: o.total, upsample: o.upsample });
  const streams = refs.map((r, i) => sourceStream(r.path, plans[i]!, partialSelection(measured[i]!, plans[i]!.rest, o.unit), names[i]!));
  const out = new DocumentsWriter(ctx.outputs.docs!.dir);
  const emitted = plans.map(() => 0);
  const heads = await Promise.all(streams.map((s) => s.next()));
  for (;;) {
    // The live source furthest behind its share goes next (ties: lowest index).
    let best = -1, bestScore = Infinity;
    heads.forEach((h, i) => {
      if (h.done) return;
      const score = (emitted[i]! + 1) / Math.max(plans[i]!.share, 1e-12);
      if (score < bestScore) { best = i; bestScore = score; }
    });
    if (best < 0) break;
    const doc = heads[best]!.value as Document;
    await out.write(doc);
    emitted[best]! += o.unit === 'bytes' ? Buffer.byteLength(doc.text) : 1;
    heads[best] = await streams[best]!.next();
  }
  await out.close();
  names.forEach((n, i) => ctx.stats({ [`${o.unit}_in_${n}`]: sizes[i]!, [`${o.unit}_out_${n}`]: emitted[i]!, [`copies_${n}`]: Number((plans[i]!.target / Math.max(1, sizes[i]!)).toFixed(4)) }));
  const total = emitted.reduce((a, b) => a + b, 0);
  ctx.log.info(`mix (${o.unit}): ` + names.map((n, i) => `${n} ${emitted[i]} (${total ? ((100 * emitted[i]!) / total).toFixed(1) : 0}%, target ${(100 * plans[i]!.share).toFixed(1)}%)`).join(', '));
}
