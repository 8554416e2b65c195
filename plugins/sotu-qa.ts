/**
 * @fileoverview Example stage plugin: builds instruction data for the sft example from the
 * State of the Union metadata (shipped on npm): for each year, "Who gave the State of the Union
 * address in 1950?" → "Harry S Truman" and "Which party was the president who spoke in 1950
 * from?" → "Democratic". Whole years are held out — every year ending in 5 is the test set,
 * every year ending in 0 the validation set — so a model is scored on years it never saw.
 * Years with two presidents (1961, 1974) are left out.
 *
 *   plugins: [../plugins/sotu-qa.ts]
 *   stages:
 *     qa: { type: sotu-qa, inputs: { docs: raw } }   # raw: source of datasets-sotu/data/*.json
 *     sft: { type: sft, inputs: { model: pretrain, data: qa } }
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStage, definePlugin, readDocuments } from '../src/index.js';

interface Fact { year: number; name: string; party: string }

/** The question/answer conversations of one year. */
export function conversations(f: Fact): Array<{ messages: Array<{ role: string; content: string }> }> {
  const qa = (q: string, a: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
  const out = [qa(`Who gave the State of the Union address in ${f.year}?`, f.name)];
  if (f.party !== 'none') out.push(qa(`Which party was the president who spoke in ${f.year} from?`, f.party));
  return out;
}

/** test: years ending in 5; validation: years ending in 0; train: the rest. */
export function splitOf(year: number): 'train' | 'validation' | 'test' {
  return year % 10 === 5 ? 'test' : year % 10 === 0 ? 'validation' : 'train';
}

const sotuQa = defineStage({
  type: 'sotu-qa',
  version: 1,
  description: 'Question → answer conversations (year → president, year → party) from SOTU metadata, split by year',
  schema: { type: 'object', additionalProperties: false, properties: {} },
  inputs: { docs: { kind: 'documents', description: 'SOTU speeches with year/name/party metadata' } },
  outputs: { qa: { kind: 'sft', description: 'train.jsonl, validation.jsonl, test.jsonl' } },
  async run(ctx) {
    const byYear = new Map<number, Set<string>>();
    const facts = new Map<number, Fact>();
    for await (const d of readDocuments(ctx.inputs.docs![0]!.path)) {
      const { year, name, party } = d.meta as { year?: number; name?: string; party?: string };
      if (typeof year !== 'number' || typeof name !== 'string') continue;
      byYear.set(year, (byYear.get(year) ?? new Set()).add(name));
      facts.set(year, { year, name, party: String(party ?? 'none') });
    }
    const lines: Record<string, string[]> = { train: [], validation: [], test: [] };
    for (const f of [...facts.values()].sort((a, b) => a.year - b.year)) {
      if (byYear.get(f.year)!.size > 1) continue;
      for (const c of conversations(f)) lines[splitOf(f.year)]!.push(JSON.stringify(c));
    }
    const dir = ctx.outputs.qa!.dir;
    await mkdir(dir, { recursive: true });
    for (const [split, ls] of Object.entries(lines)) await writeFile(join(dir, `${split}.jsonl`), ls.join('\n') + '\n');
    ctx.log.info(`conversations: ${lines.train!.length} train, ${lines.validation!.length} validation, ${lines.test!.length} test`);
    ctx.stats({ train: lines.train!.length, validation: lines.validation!.length, test: lines.test!.length });
  },
});

export default definePlugin({ name: 'sotu-qa', version: '1.0.0', stages: [sotuQa] });
