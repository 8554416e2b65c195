/**
 * @fileoverview Worker-thread entry of TokenizerPool: builds the tokenizer once from its
 * tokenizer.json, then answers encode and count requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WordCounter } from './count.js';
import { tokenizerFromJSON } from './hf-json.js';
import type { PoolRequest, PoolReply } from './parallel.js';

const { json } = workerData as { json: object | null };
const tok = json ? tokenizerFromJSON(json) : null;

parentPort!.on('message', (m: PoolRequest) => {
  try {
    if (m.op === 'encode') {
      if (!tok) throw new Error('worker has no tokenizer');
      const result = m.texts.map((t) => tok.encodeToArray(t));
      const reply: PoolReply = { id: m.id, ok: true, ids: result };
      parentPort!.postMessage(reply, result.map((r) => r.buffer as ArrayBuffer));
    } else {
      const c = new WordCounter(m.specials, m.pattern);
      for (const t of m.texts) c.add(t);
      const reply: PoolReply = { id: m.id, ok: true, words: [...c.counts.keys()], counts: Float64Array.from(c.counts.values()) };
      parentPort!.postMessage(reply, [reply.counts!.buffer as ArrayBuffer]);
    }
  } catch (err) {
    parentPort!.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies PoolReply);
  }
});
