/**
 * @fileoverview Messages for reaching artifacts (`ls`, `show`, `export`, pipeline `outs:`)
 * and sharing them (`remote:`, `push`, `pull`).
 */
import { didYouMean } from '../did-you-mean.js';
import { make, listOf, type Where } from './make.js';

export const artifactErrors = {
  artifactNotReady: (a: { stage: string; reason: string }, at?: Where) =>
    make('E_ARTIFACT', `Stage "${a.stage}" has no up-to-date result (${a.reason}).`, `Run it first: trainyard run ${a.stage}`, at),

  artifactUnknownOutput: (a: { stage: string; type: string; output: string; outputs: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_REF', `Stage "${a.stage}" (${a.type}) has no output "${a.output}".${didYouMean(a.output, a.outputs)}`,
      `Outputs of ${a.type}: ${listOf(a.outputs)}; name one as ${a.stage}.<output>.`, at),

  exportNotEmpty: (a: { dir: string }, at?: Where) =>
    make('E_USAGE', `${a.dir} exists and is not empty.`, 'Choose a new folder, or pass --force to replace it.', at),

  outUnknownStage: (a: { path: string; ref: string; names: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_REF', `outs.${a.path} refers to unknown stage "${a.ref}".${didYouMean(a.ref, a.names)}`, `Stages in this pipeline: ${listOf(a.names)}.`, at),

  outUnknownOutput: (a: { path: string; stage: string; type: string; output: string; outputs: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_REF', `outs.${a.path}: stage "${a.stage}" (${a.type}) has no output "${a.output}".${didYouMean(a.output, a.outputs)}`,
      `Outputs of ${a.type}: ${listOf(a.outputs)}.`, at),

  outPath: (a: { path: string; problem: string }, at?: Where) =>
    make('E_SCHEMA', `outs path "${a.path}" ${a.problem}.`, 'Use a relative path inside the project, outside .trainyard/, e.g. `outs: { models/tiny: pretrain }`.', at),

  remoteConfig: (a: { file: string; problem: string }, at?: Where) =>
    make('E_SCHEMA', `${a.file} ${a.problem}.`, 'Write `remote: /shared/folder` or `remote: { url: s3://bucket/prefix, push: false }`.', at),

  noRemote: (a: { command: string }, at?: Where) =>
    make('E_USAGE', `trainyard ${a.command} needs a remote cache, and none is set.`,
      'Add `remote: /shared/folder` to the pipeline, set TRAINYARD_REMOTE, or pass --remote <url>.', at),
};
