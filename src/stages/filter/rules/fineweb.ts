/**
 * @fileoverview FineWeb's own quality rules (datatrove `FineWebQualityFilter`): terminal
 * punctuation ratio, short-line ratio, duplicated-line characters, newline-per-word ratio.
 */
import { drop, type BuiltinRule } from './types.js';
import { findDuplicates, tokenizeWords } from './words.js';

const STOP_CHARS = ['.', "'", '"', '!', '?'];

export const fineweb: BuiltinRule = {
  name: 'fineweb',
  description: 'FineWeb quality heuristics: line punctuation ratio, short lines, duplicated line chars, list ratio',
  defaults: { line_punct_thr: 0.12, line_punct_exclude_zero: false, short_line_thr: 0.67, short_line_length: 30, char_duplicates_ratio: 0.01, new_line_ratio: 0.3 },
  create(o) {
    return (doc) => {
      const lines = doc.text.split('\n').filter((l) => l.trim() !== '');
      if (lines.length === 0) return drop('empty', 0, 1);
      const punct = lines.filter((l) => STOP_CHARS.some((c) => l.endsWith(c))).length / lines.length;
      if (punct <= o.line_punct_thr && !(punct === 0 && o.line_punct_exclude_zero)) return drop('line_punct_ratio', punct, o.line_punct_thr);
      const short = lines.filter((l) => l.length <= o.short_line_length).length / lines.length;
      if (short >= o.short_line_thr) return drop('short_line_ratio', short, o.short_line_thr);
      const dupChars = findDuplicates(lines).chars / Math.max(1, doc.text.replaceAll('\n', '').length);
      if (dupChars >= o.char_duplicates_ratio) return drop('char_dup_ratio', dupChars, o.char_duplicates_ratio);
      const words = tokenizeWords(doc.text).length;
      const newlines = doc.text.split('\n').length - 1;
      const listRatio = newlines / Math.max(1, words);
      if (listRatio > o.new_line_ratio) return drop('list_ratio', listRatio, o.new_line_ratio);
      return true;
    };
  },
};
