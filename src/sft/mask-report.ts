/**
 * @fileoverview The label-mask report (axolotl's `preprocess --debug`, but always written
 * and machine-checked): the share of supervised tokens overall and per role, and a few
 * samples decoded with the supervised runs marked «like this». Guillemets were picked over
 * `[[…]]` because chat data and code use brackets far more often; a literal « or » in the
 * text is left as is, so the markers are only unambiguous for text without them.
 *
 *   <|im_start|>user
 *   What is 2 + 3?<|im_end|>
 *   <|im_start|>assistant
 *   «5<|im_end|>»
 *
 * Written as label-mask.json (the numbers and examples) and label-mask.md (for people).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../errors/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { Sample } from './encode.js';

/** Opens and closes a supervised run in the rendered examples. */
export const MASK_MARKERS = { open: '«', close: '»' } as const;

/** Supervised tokens of one role. */
export interface RoleShare { role: string; tokens: number; supervised: number; /** supervised / tokens */ share: number }

/** What the label mask looks like over a set of samples. */
export interface MaskReport {
  samples: number;
  tokens: number;
  supervised: number;
  /** supervised / tokens (0 when there are no tokens). */
  share: number;
  /** Per role, in order of first appearance. */
  roles: RoleShare[];
  /** The first `examples` samples, decoded, supervised runs between MASK_MARKERS. */
  examples: Array<{ where: string; text: string }>;
  markers: typeof MASK_MARKERS;
}

/** Counts supervised tokens overall and per role, and renders the first `examples` samples. */
export function maskReport(samples: Sample[], tok: Tokenizer, o: { examples: number }): MaskReport {
  const byRole = new Map<string, RoleShare>();
  let tokens = 0, supervised = 0;
  for (const s of samples) {
    for (let i = 0; i < s.ids.length; i++) {
      const role = s.roles[i] ?? '?';
      let r = byRole.get(role);
      if (!r) byRole.set(role, (r = { role, tokens: 0, supervised: 0, share: 0 }));
      r.tokens++;
      tokens++;
      if (s.supervised[i]) { r.supervised++; supervised++; }
    }
  }
  const roles = [...byRole.values()].map((r) => ({ ...r, share: r.tokens ? r.supervised / r.tokens : 0 }));
  const examples = samples.slice(0, o.examples).map((s) => ({ where: s.where, text: markedText(s, tok) }));
  return { samples: samples.length, tokens, supervised, share: tokens ? supervised / tokens : 0, roles, examples, markers: MASK_MARKERS };
}

/** The sample's text with each run of supervised tokens between the markers. */
export function markedText(s: Sample, tok: Tokenizer): string {
  let out = '';
  for (let start = 0; start < s.ids.length;) {
    const on = s.supervised[start]!;
    let end = start;
    while (end < s.ids.length && s.supervised[end] === on) end++;
    const text = tok.decode(s.ids.subarray(start, end));
    out += on ? MASK_MARKERS.open + text + MASK_MARKERS.close : text;
    start = end;
  }
  return out;
}

/** Writes label-mask.json and label-mask.md into `dir` (created if needed). */
export async function writeMaskReport(dir: string, r: MaskReport): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'label-mask.json'), JSON.stringify(r, null, 2) + '\n');
  await writeFileAtomic(join(dir, 'label-mask.md'), maskMarkdown(r));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/** The report as markdown: a table per role and the marked examples. */
export function maskMarkdown(r: MaskReport): string {
  const lines = [
    '# Label mask', '',
    `${r.supervised} of ${r.tokens} tokens (${pct(r.share)}) in ${r.samples} samples are training targets.`, '',
    '| role | tokens | supervised | share |', '|---|---:|---:|---:|',
    ...r.roles.map((x) => `| ${x.role} | ${x.tokens} | ${x.supervised} | ${pct(x.share)} |`), '',
    `Supervised text is shown between ${r.markers.open} and ${r.markers.close}.`,
  ];
  for (const e of r.examples) lines.push('', `## ${e.where}`, '', '````text', e.text, '````');
  return lines.join('\n') + '\n';
}

/**
 * Throws E_ARTIFACT when 0 % of the tokens are supervised, or 100 % while only replies should
 * be (`trainOn` 'assistant', the default: a mask that covers everything is a broken mask). The
 * hint names train_on.
 */
export function checkMaskShare(r: MaskReport, o: { trainOn: 'assistant' | 'all' } = { trainOn: 'assistant' }): void {
  if (r.supervised === 0) throw errors.maskShareZero({ samples: r.samples });
  if (r.supervised === r.tokens && o.trainOn === 'assistant') throw errors.maskShareFull({ samples: r.samples });
}
