/**
 * @fileoverview FineWeb's own quality rules (datatrove `FineWebQualityFilter`): terminal
 * punctuation ratio, short-line ratio, duplicated-line characters, newline-per-word ratio.
 */
import { defineFilter } from '../../../plugins/define.js';
import { booleanOption, drop, integerOption, numberOption, optionsSchema } from './types.js';
import { findDuplicates, tokenizeWords } from './words.js';

const STOP_CHARS = ['.', "'", '"', '!', '?'];

export interface FinewebOptions {
  line_punct_thr: number;
  line_punct_exclude_zero: boolean;
  short_line_thr: number;
  short_line_length: number;
  char_duplicates_ratio: number;
  new_line_ratio: number;
}

const ratio = { minimum: 0, maximum: 1 };

export const fineweb = defineFilter<FinewebOptions>({
  name: 'fineweb',
  description: 'FineWeb quality heuristics: line punctuation ratio, short lines, duplicated line chars, list ratio',
  schema: optionsSchema({
    line_punct_thr: numberOption(0.12, 'Drop when at most this share of lines ends in terminal punctuation.', ratio),
    line_punct_exclude_zero: booleanOption(false, 'Keep documents where no line ends in punctuation.'),
    short_line_thr: numberOption(0.67, 'Drop when at least this share of lines is short.', ratio),
    short_line_length: integerOption(30, 'A line this long or shorter (characters) is short.'),
    char_duplicates_ratio: numberOption(0.01, 'Drop when duplicated lines hold at least this share of characters.', ratio),
    new_line_ratio: numberOption(0.3, 'Drop when newlines per word exceed this.', { minimum: 0 }),
  }),
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
});
