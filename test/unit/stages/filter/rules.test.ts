/**
 * Every built-in filter rule, table-driven through filterTester: the pure rule on real text
 * (State of the Union speeches, Moby Dick) and tiny fixtures that cross one threshold each.
 */
import { c4 } from '../../../../src/stages/filter/rules/c4.js';
import { fineweb } from '../../../../src/stages/filter/rules/fineweb.js';
import { gopherQuality } from '../../../../src/stages/filter/rules/gopher-quality.js';
import { gopherRepetition } from '../../../../src/stages/filter/rules/gopher-repetition.js';
import { language } from '../../../../src/stages/filter/rules/language.js';
import { length } from '../../../../src/stages/filter/rules/length.js';
import { toxicity } from '../../../../src/stages/filter/rules/toxicity.js';
import { urlBlocklist } from '../../../../src/stages/filter/rules/url-blocklist.js';
import { filterTester } from '../../../helpers/filter-tester.js';
import { mobyChapter, sotuDocs } from '../../../helpers/corpus.js';

const SPEECH = sotuDocs(1)[0]!.text;
const MOBY = mobyChapter(1);
const PARAGRAPH = MOBY.split('\n\n')[1]!;
const FRENCH = "Le président de la République a prononcé un discours devant les deux chambres du Parlement réunies en Congrès à Versailles. Il a parlé de l'économie, de l'emploi et de la sécurité des citoyens, et il a annoncé plusieurs réformes importantes pour les prochaines années.";
/** `n` copies of a line, one per line. */
const lines = (line: string, n: number) => Array.from({ length: n }, () => line).join('\n');
/** `n` numbered sentences of ordinary English. */
const sentences = (n: number) => Array.from({ length: n }, (_, i) => `The whale number ${i} swam to the ship and the men saw it.`).join(' ');

filterTester.run(gopherQuality, {
  valid: [
    { name: 'a State of the Union speech', text: SPEECH },
    { name: 'Moby Dick, chapter 1', text: MOBY },
    { name: 'short doc with a lower bound', text: 'Hello world. Nice to see you and the sea.', options: { min_doc_words: 5 } },
  ],
  invalid: [
    { text: 'Hello world. Nice to see you.', expected: { reason: 'gopher_short_doc', value: 6, threshold: 50 } },
    { name: 'over max_doc_words', text: PARAGRAPH, options: { max_doc_words: 100 }, expected: { reason: 'gopher_long_doc', threshold: 100 } },
    { name: 'one-letter words', text: lines('a b c d e f g h i j the and of', 5), expected: { reason: 'gopher_below_avg_threshold', threshold: 3 } },
    { name: 'very long words', text: lines('internationalisation counterrevolutionaries electroencephalogram the of', 15), expected: { reason: 'gopher_above_avg_threshold', threshold: 10 } },
    { name: 'hashtags', text: lines('#tag words are here', 30), expected: { reason: 'gopher_too_many_hashes', threshold: 0.1 } },
    { name: 'ellipses', text: lines('and then... the whale... of the sea', 12), expected: { reason: 'gopher_too_many_ellipsis', threshold: 0.1 } },
    { name: 'bullet lines', text: Array.from({ length: 60 }, (_, i) => `- item number ${i} with some words`).join('\n'), expected: { reason: 'gopher_too_many_bullets', value: 1, threshold: 0.9 } },
    { name: 'lines ending in an ellipsis', text: lines('the whale swam to the ship and the men saw it and wondered …', 2) + '\n' + sentences(3), options: { max_symbol_word_ratio: 1 }, expected: { reason: 'gopher_too_many_end_ellipsis', threshold: 0.3 } },
    { name: 'mostly numbers', text: lines('12345 67890 24680 13579 11111 22222 the and whale ships', 6), expected: { reason: 'gopher_below_alpha_threshold', value: 0.4, threshold: 0.8 } },
    { name: 'no stop words', text: lines('apple banana cherry', 20), expected: { reason: 'gopher_enough_stop_words', value: 0, threshold: 2 } },
  ],
});

filterTester.run(gopherRepetition, {
  valid: [
    { name: 'Moby Dick, chapter 1', text: MOBY },
    { name: 'a State of the Union speech', text: SPEECH },
    { name: 'empty text', text: '' },
  ],
  invalid: [
    { name: 'a paragraph three times', text: [PARAGRAPH, PARAGRAPH, PARAGRAPH, 'A different closing paragraph.'].join('\n\n'), expected: { reason: 'dup_para_frac', value: 0.5, threshold: 0.3 } },
    { name: 'a long paragraph twice among short ones', text: [PARAGRAPH, 'One.', 'Two.', 'Three.', 'Four.', PARAGRAPH].join('\n\n'), expected: { reason: 'dup_para_char_frac', threshold: 0.2 } },
    { name: 'repeated short lines', text: ['Call me Ishmael.', 'Call me Ishmael.', 'Some years ago.', 'Call me Ishmael.'].join('\n'), expected: { reason: 'dup_line_frac', value: 0.5, threshold: 0.3 } },
    { name: 'one bigram everywhere', text: 'the whale ' + Array.from({ length: 40 }, (_, i) => `the whale word${i}`).join(' '), expected: { reason: 'top_2_gram', threshold: 0.2 } },
    { name: 'a repeated five-word phrase', text: `${PARAGRAPH.slice(0, 200)} ${PARAGRAPH.slice(0, 200)}`, expected: { reason: 'duplicated_5_n_grams', threshold: 0.15 } },
  ],
});

filterTester.run(c4, {
  valid: [
    { name: 'a State of the Union speech', text: SPEECH },
    { name: 'curly brackets allowed', text: `${sentences(5)}\nThe function is defined as follows { return x; } and it works.`, options: { filter_curly_bracket: false } },
    { name: 'fewer sentences allowed', text: 'One sentence here. Two sentences here.', options: { min_num_sentences: 2 } },
  ],
  invalid: [
    { text: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.', expected: { reason: 'lorem_ipsum', value: 'lorem ipsum', threshold: 'absent' } },
    { text: 'The function is defined as follows { return x; } and it works.', expected: { reason: 'curly_bracket', value: '{', threshold: 'absent' } },
    { text: 'One sentence here. Two sentences here.\nmenu item\nhome page', expected: { reason: 'too_few_sentences', value: 2, threshold: 5 } },
    { name: 'policy and javascript lines are not counted', text: `${sentences(4)}\nThis site uses cookies to improve your experience.\nPlease enable JavaScript to view this page.`, expected: { reason: 'too_few_sentences', value: 4, threshold: 5 } },
  ],
});

filterTester.run(fineweb, {
  valid: [
    { name: 'a State of the Union speech', text: SPEECH },
    { name: 'Moby Dick, chapter 1', text: MOBY },
  ],
  invalid: [
    { name: 'a menu', text: ['Home', 'About us', 'Products', 'Contact', 'Blog', 'Careers'].join('\n'), expected: { reason: 'line_punct_ratio', value: 0, threshold: 0.12 } },
    { name: 'only blank lines', text: '\n \n', expected: { reason: 'empty', value: 0, threshold: 1 } },
    { name: 'short lines', text: lines('Yes.', 8) + '\n' + sentences(2), expected: { reason: 'short_line_ratio', threshold: 0.67 } },
    { name: 'a duplicated line', text: [sentences(3), 'The whale swam to the ship and the men saw it all.', sentences(4), 'The whale swam to the ship and the men saw it all.'].join('\n'), expected: { reason: 'char_dup_ratio', threshold: 0.01 } },
    { name: 'a list of long lines', text: Array.from({ length: 10 }, (_, i) => `Item ${i}: the whale swam to the ship.`).join('\n'), options: { new_line_ratio: 0.05 }, expected: { reason: 'list_ratio', threshold: 0.05 } },
  ],
});

filterTester.run(length, {
  valid: [
    { text: 'Long enough.' },
    { text: 'Exactly twenty chars', options: { min_chars: 20, max_chars: 20 } },
    { text: 'three small words', options: { min_words: 3, max_words: 3 } },
  ],
  invalid: [
    { text: '', expected: { reason: 'too_short_chars', value: 0, threshold: 1 } },
    { text: 'Too short.', options: { min_chars: 20 }, expected: { reason: 'too_short_chars', value: 10, threshold: 20 } },
    { text: 'Far too long for this bound.', options: { max_chars: 10 }, expected: { reason: 'too_long_chars', value: 28, threshold: 10 } },
    { text: 'two words', options: { min_words: 3 }, expected: { reason: 'too_short_words', value: 2, threshold: 3 } },
    { text: 'one two three four', options: { max_words: 3 }, expected: { reason: 'too_long_words', value: 4, threshold: 3 } },
  ],
});

filterTester.run(language, {
  valid: [
    { name: 'an English speech', text: SPEECH },
    { name: 'French, with an ISO 639-1 code', text: FRENCH, options: { languages: ['fr'] } },
    { name: 'French, labelled only', text: FRENCH, options: { label_only: true } },
    { name: 'too short to tell, kept', text: 'Hi', options: { keep_undetermined: true }, meta_out: { language: 'und', language_score: 1 } },
  ],
  invalid: [
    { name: 'French', text: FRENCH, expected: { reason: 'wrong_language', value: 'fra', threshold: 'eng' } },
    { name: 'too short to tell', text: 'Hi', expected: { reason: 'wrong_language', value: 'und', threshold: 'eng' } },
  ],
});

filterTester.run(toxicity, {
  valid: [
    { text: 'A classic assessment of the class of passengers.' },
    { text: 'What a load of shit this is.', options: { allow_words: ['shit'] } },
    { text: 'What a load of shit this is.', options: { max_matches: 1 } },
  ],
  invalid: [
    { text: 'What a load of shit this is.', expected: { reason: 'bad_words', value: 1, threshold: 0, detail: 'shit' } },
    { text: 'Harpoon the whale, harpoon it!', options: { extra_words: ['harpoon'] }, expected: { reason: 'bad_words', value: 2, threshold: 0, detail: 'harpoon' } },
  ],
});

filterTester.run(urlBlocklist, {
  valid: [
    { name: 'no url', text: 'Buy now.', options: { domains: ['spam.example'] } },
    { name: 'an unlisted domain', text: 'Buy now.', meta: { url: 'https://example.org/spam.example' }, options: { domains: ['spam.example'] } },
    { name: 'one soft word', text: 'Buy now.', meta: { url: 'https://example.org/casino' }, options: { soft_banned_words: ['casino', 'poker'] } },
  ],
  invalid: [
    { name: 'a parent domain', text: 'Buy now.', meta: { url: 'https://shop.spam.example/deals' }, options: { domains: ['spam.example'] }, expected: { reason: 'domain', value: 'shop.spam.example', threshold: 'blocklist', detail: 'spam.example' } },
    { name: 'a full url', text: 'Buy now.', meta: { url: 'https://Example.org/Deals' }, options: { urls: ['https://example.org/deals'] }, expected: { reason: 'url', value: 'https://example.org/deals', threshold: 'blocklist' } },
    { name: 'a hard word', text: 'Buy now.', meta: { url: 'https://example.org/casino-night' }, options: { banned_words: ['casino'] }, expected: { reason: 'hard_blacklisted', detail: 'casino' } },
    { name: 'two soft words', text: 'Buy now.', meta: { url: 'https://example.org/casino/poker' }, options: { soft_banned_words: ['casino', 'poker'] }, expected: { reason: 'soft_blacklisted', value: 2, threshold: 2 } },
    { name: 'a subword', text: 'Buy now.', meta: { link: 'https://megacasinos.example.org/' }, options: { url_field: 'link', banned_subwords: ['casino'] }, expected: { reason: 'blacklisted_subword', detail: 'casino' } },
  ],
});
