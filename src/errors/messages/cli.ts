/**
 * @fileoverview Messages for command-line arguments (src/cli, src/init, src/report).
 */
import { didYouMean } from '../did-you-mean.js';
import { make, type Where } from './make.js';

export const cliErrors = {
  jobs: (a: { value: string }, at?: Where) =>
    make('E_USAGE', `--jobs must be a whole number of at least 1, got "${a.value}".`, 'For example: --jobs 2', at),

  graphFormat: (a: { value: string }, at?: Where) =>
    make('E_USAGE', `Unknown graph format "${a.value}".`, 'Use text, mermaid or dot.', at),

  flagChoice: (a: { flag: string; value: string; allowed: readonly string[] }, at?: Where) =>
    make('E_USAGE', `--${a.flag} must be one of ${a.allowed.join(', ')}; got "${a.value}".${didYouMean(a.value, a.allowed)}`, undefined, at),

  initNotEmpty: (a: { dir: string; present: readonly string[] }, at?: Where) =>
    make('E_USAGE', `${a.dir} is not empty (${a.present.slice(0, 3).join(', ')}${a.present.length > 3 ? ', …' : ''}).`,
      'Choose an empty or new folder (`trainyard init my-model`), or pass --force to write into this one.', at),

  initName: (a: { name: string }, at?: Where) =>
    make('E_USAGE', `--name may use letters, digits, - and _ only; got "${a.name}".`, undefined, at),

  noRun: (a: { ref: string; count: number; pipeline?: string }, at?: Where) =>
    make('E_USAGE', `No ${a.ref} run: ${a.count} finished run(s) recorded${a.pipeline ? ` for ${a.pipeline}` : ''}.`, 'Run the pipeline first: trainyard run', at),

  runRef: (a: { ref: string; matches: number; ids: readonly string[] }, at?: Where) =>
    make('E_USAGE', a.matches ? `Run id "${a.ref}" is ambiguous (${a.matches} runs match).` : `No run "${a.ref}".${didYouMean(a.ref, a.ids)}`,
      `Use latest, previous, latest~N or one of: ${a.ids.slice(-5).join(', ') || '(none)'}.`, at),

  sampleNotUpToDate: (a: { stage: string }, at?: Where) =>
    make('E_ARTIFACT', `Stage "${a.stage}" is not up to date.`, `Run it first: trainyard run ${a.stage}`, at),

  sampleNoModel: (a: { stage: string }, at?: Where) =>
    make('E_ARTIFACT', `Stage "${a.stage}" has no model output.`, undefined, at),

  /** `file` is the lock file's name (`trainyard.lock`). */
  lockAtRevUnreadable: (a: { file: string; rev: string }, at?: Where) =>
    make('E_USAGE', `Cannot read ${a.file} at git revision "${a.rev}".`, 'Check the revision (git log), and that the lock file was committed there.', at),
};
