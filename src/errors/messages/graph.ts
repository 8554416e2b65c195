/**
 * @fileoverview Messages for wiring stages together and choosing targets (src/graph).
 */
import { didYouMean } from '../did-you-mean.js';
import { make, type Where } from './make.js';

export const graphErrors = {
  unknownInput: (a: { stage: string; type: string; port: string; ports: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_KEY', `Stage "${a.stage}" (${a.type}) has no input "${a.port}".${didYouMean(a.port, a.ports)}`,
      `Inputs of ${a.type}: ${a.ports.join(', ') || '(none)'}.`, at),

  inputTakesOne: (a: { stage: string; port: string; count: number }, at?: Where) =>
    make('E_SCHEMA', `Input "${a.port}" of stage "${a.stage}" takes one reference, got ${a.count}.`, undefined, at),

  inputMissing: (a: { stage: string; type: string; port: string; kind: string }, at?: Where) =>
    make('E_SCHEMA', `Stage "${a.stage}" (${a.type}) needs input "${a.port}" (${a.kind}).`,
      `Add \`inputs: { ${a.port}: <stage> }\` naming a stage that produces ${a.kind}.`, at),

  cycle: (a: { path: readonly string[] }, at?: Where) =>
    make('E_CYCLE', `Stages depend on each other in a cycle: ${[...a.path, a.path[0]].join(' → ')}.`, 'Remove one of these input references.', at),

  selfInput: (a: { stage: string }, at?: Where) =>
    make('E_CYCLE', `Stage "${a.stage}" takes its own output as input.`, undefined, at),

  unknownStageRef: (a: { stage: string; ref: string; names: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_REF', `Stage "${a.stage}" refers to unknown stage "${a.ref}".${didYouMean(a.ref, a.names)}`,
      `Stages in this pipeline: ${a.names.join(', ')}.`, at),

  unknownOutputRef: (a: { stage: string; type: string; output: string; outputs: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_REF', `Stage "${a.stage}" (${a.type}) has no output "${a.output}".${didYouMean(a.output, a.outputs)}`,
      `Outputs of ${a.type}: ${a.outputs.join(', ')}.`, at),

  typeMismatch: (a: { stage: string; expects: string; ref: string; produces: string }, at?: Where) =>
    make('E_TYPE_MISMATCH', `Stage "${a.stage}" input expects ${a.expects}, but "${a.ref}" produces ${a.produces}.`,
      `Feed it a stage whose output is ${a.expects}.`, at),

  /** `flag` is the option that named it (`--from `, …) or empty for a positional target. */
  unknownTarget: (a: { flag: string; name: string; names: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_TARGET', `${a.flag}"${a.name}" is not a stage of this pipeline.${didYouMean(a.name, a.names)}`,
      `Stages: ${a.names.join(', ')}.`, at),
};
