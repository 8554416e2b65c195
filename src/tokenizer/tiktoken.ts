/**
 * @fileoverview Imports tiktoken ranks (the `js-tiktoken/ranks/*` data) as a BPE spec.
 *
 * js-tiktoken stores ranks as lines `"<prefix> <first rank> <b64 token> <b64 token> …"`; a
 * token's rank is its id. tiktoken has no merges list, so, like transformers'
 * `TikTokenConverter`, we recover each token's merge by running BPE on its bytes with only
 * the lower-ranked merges: what is left is the two parts it merges from.
 */
import { errors } from '../errors/index.js';
import type { BpeSpec } from './bpe.js';
import { mergeWord, PairTable } from './merge.js';

/** The shape of `js-tiktoken/ranks/<name>` modules. */
export interface TiktokenRanks {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

/** Parses js-tiktoken's rank data into a spec (ids = ranks). */
function specFromTiktoken(ranks: TiktokenRanks): BpeSpec {
  const tokens: Array<Uint8Array | null> = [];
  for (const line of ranks.bpe_ranks.split('\n')) {
    if (!line) continue;
    const [, offset, ...b64] = line.split(' ');
    const first = Number.parseInt(offset!, 10);
    b64.forEach((t, i) => { tokens[first + i] = new Uint8Array(Buffer.from(t, 'base64')); });
  }
  for (let i = 0; i < tokens.length; i++) tokens[i] ??= null;
  return { tokens, merges: recoverMerges(tokens), specials: new Map(Object.entries(ranks.special_tokens)), pattern: ranks.pat_str };
}

function recoverMerges(tokens: Array<Uint8Array | null>): Array<[number, number]> {
  const byBytes = new Map<string, number>();
  tokens.forEach((t, id) => { if (t) byBytes.set(Buffer.from(t).toString('latin1'), id); });
  const pairs = new PairTable(tokens.length);
  const merges: Array<[number, number]> = [];
  let ids = new Int32Array(64);
  for (let id = 0; id < tokens.length; id++) {
    const t = tokens[id];
    if (!t || t.length < 2) continue;
    if (ids.length < t.length) ids = new Int32Array(t.length * 2);
    let ok = true;
    for (let i = 0; i < t.length; i++) {
      const b = byBytes.get(String.fromCharCode(t[i]!));
      if (b === undefined) { ok = false; break; }
      ids[i] = b;
    }
    if (!ok) continue;
    const n = mergeWord(ids, t.length, pairs);
    if (n !== 2) continue; // unreachable token (not in GPT-2-style ranks)
    pairs.set(ids[0]!, ids[1]!, merges.length, id);
    merges.push([ids[0]!, ids[1]!]);
  }
  return merges;
}

/** Loads a ranks module shipped with js-tiktoken (`gpt2`, `r50k_base`, …). */
export async function loadTiktokenRanks(name: string): Promise<BpeSpec> {
  if (!/^[a-z0-9_]+$/.test(name)) throw errors.tiktokenName({ name });
  try {
    const mod = (await import(`js-tiktoken/ranks/${name}`)) as { default: TiktokenRanks };
    return specFromTiktoken(mod.default);
  } catch (err) {
    throw errors.tiktokenMissing({ name }, { cause: err });
  }
}
