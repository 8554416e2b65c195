/** Shared test data for sft: a tiny byte-level BPE trained on real text, and conversations. */
import { trainBpe, type Tokenizer } from '../../../src/tokenizer/index.js';
import type { Conversation } from '../../../src/sft/conversations.js';
import { mobyTexts } from '../tokenizer/fixtures.js';

let bpe: Promise<Tokenizer> | undefined;
/** A 400-id byte-level BPE trained on two Moby Dick chapters (specials: <|endoftext|> only). */
export function tinyBpe(): Promise<Tokenizer> {
  return (bpe ??= trainBpe(mobyTexts().slice(0, 2), { vocabSize: 400 }));
}

export const CONVERSATIONS: Conversation[] = [
  {
    where: 'chat.jsonl:1',
    messages: [
      { role: 'system', content: 'Answer in one word.' },
      { role: 'user', content: 'Who hunts the white whale?' },
      { role: 'assistant', content: 'Ahab' },
      { role: 'user', content: 'And who tells the story?' },
      { role: 'assistant', content: 'Ishmael, a sailor — «call me»' },
    ],
  },
  {
    where: 'chat.jsonl:2',
    messages: [{ role: 'user', content: 'Name the ship.' }, { role: 'assistant', content: 'The Pequod.' }],
  },
];
