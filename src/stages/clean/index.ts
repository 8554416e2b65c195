/**
 * @fileoverview The `clean` stage: HTML to text (Readability main content for whole pages),
 * e-mail/MIME decoding, Unicode normalisation, control characters, whitespace, and removal of
 * short lines that repeat across many documents (navigation, cookie banners, sign-offs).
 * Documents that come out empty go to `rejected`, each with its reason.
 *
 *   clean: { type: clean, inputs: { docs: raw }, with: { unicode: NFKC, boilerplate_min_docs: 5 } }
 */
import { defineStage } from '../define.js';
import type { CleanOptions } from '../options.gen.js';
import { stageSchema } from '../../config/stage-schema.js';

export default defineStage<CleanOptions>({
  type: 'clean',
  version: 2, // 2: HTML only where it is HTML; rejected output
  description: 'HTML/e-mail to text, Unicode and whitespace normalisation, cross-document boilerplate line removal',
  schema: stageSchema('clean'),
  inputs: { docs: { kind: 'documents', description: 'Raw documents' } },
  outputs: {
    docs: { kind: 'documents', description: 'Cleaned documents (empty results go to rejected)' },
    rejected: { kind: 'documents', description: 'Documents that came out empty, with meta.rejected = {reason, …}: empty_input, empty_after_email, empty_after_html, empty_after_normalize, boilerplate_only' },
  },
  async run(ctx, options) {
    const { runClean } = await import('./run.js');
    await runClean(ctx, options);
  },
});
