/**
 * @fileoverview Messages for pipeline files: YAML, schema, variables, --set, foreach, and
 * names no built-in or plugin provides (stage types, backends, filter rules, metrics; the
 * registry in src/plugins builds these).
 */
import { didYouMean } from '../did-you-mean.js';
import { listOf, make, type Where } from './make.js';

export const configErrors = {
  /** A YAML syntax error (parser message, position and frame in `at`). */
  yaml: (a: { message: string; mergeConflict: boolean }, at?: Where) =>
    make('E_YAML', `${a.message}${a.mergeConflict ? ' (possible merge conflict markers)' : ''}`, undefined, at),

  yamlDuplicateKey: (a: { key: string; firstLine: number }, at?: Where) =>
    make('E_YAML', `Duplicate key "${a.key}" (first on line ${a.firstLine}).`,
      'A key may appear once per mapping: remove one, or merge the two.', at),

  yamlComplexKey: (at?: Where) =>
    make('E_YAML', 'A key must be a plain value (a name), not a list, a map or an alias.',
      'Write the key as a plain name, e.g. `lr: 3e-4`.', at),

  yamlForbiddenKey: (a: { key: string }, at?: Where) =>
    make('E_UNKNOWN_KEY', `Key "${a.key}" is not allowed anywhere in a pipeline.`,
      'It would replace an object\'s prototype rather than hold data; rename the key.', at),

  yamlUnknownAlias: (a: { name: string }, at?: Where) =>
    make('E_YAML', `Alias *${a.name} refers to no anchor &${a.name} defined before it.`,
      `Put \`&${a.name}\` on an earlier value, or write the value out in place of \`*${a.name}\`.`, at),

  yamlRecursiveAlias: (a: { name: string }, at?: Where) =>
    make('E_YAML', `Alias *${a.name} refers to the value that contains it.`,
      'An alias can only repeat a value that ends before it; remove the alias.', at),

  yamlDuplicateAnchor: (a: { name: string; firstLine: number }, at?: Where) =>
    make('E_YAML', `Anchor &${a.name} is defined twice (first on line ${a.firstLine}).`,
      'Aliases would silently repeat only the later one: give each anchor its own name.', at),

  yamlBadMerge: (at?: Where) =>
    make('E_YAML', 'A merge key `<<` takes a map, an alias to a map, or a list of those.',
      'Example: `<<: *defaults` where `defaults: &defaults { lr: 3e-4 }`.', at),

  /** An alias bomb ("billion laughs"): `limit` is the number of values aliases may add. */
  yamlAliasBomb: (a: { limit: number }, at?: Where) =>
    make('E_YAML', `Aliases expand to more than ${a.limit} values; refusing a likely alias bomb.`,
      'Repeat smaller values, or nest fewer aliases inside aliases.', at),

  pipelineUnreadable: (a: { file: string; reason?: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', a.reason === undefined ? `Pipeline file not found: ${a.file}` : `Cannot read ${a.file}: ${a.reason}`,
      'Pass the pipeline with -f <file>, e.g. `trainyard run -f pipelines/quickstart.yaml`.', at),

  noPipelineFile: (at?: Where) =>
    make('E_FILE_NOT_FOUND', 'No pipeline file given and none of trainyard.yaml, pipeline.yaml here.',
      'Pass one with -f, e.g. `trainyard run -f pipelines/quickstart.yaml`, or create one with `trainyard init`.', at),

  pipelineNotMapping: (at?: Where) =>
    make('E_SCHEMA', 'A pipeline file must be a mapping with a `stages:` key.', undefined, at),

  unknownKey: (a: { key: string; where: string; known: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_KEY', `Unknown key "${a.key}" in ${a.where}.${didYouMean(a.key, a.known)}`,
      a.known.length ? `Expected keys: ${a.known.join(', ')}.` : undefined, at),

  notOneOf: (a: { where: string; allowed: readonly unknown[]; got: unknown }, at?: Where) =>
    make('E_SCHEMA', `${a.where} must be one of ${a.allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(a.got)}.${didYouMean(String(a.got), a.allowed.map(String))}`, undefined, at),

  missingKey: (a: { where: string; key: string }, at?: Where) =>
    make('E_SCHEMA', `${a.where} is missing the required key "${a.key}".`, undefined, at),

  /** Any other ajv error; `description` is the schema's description of the value. */
  invalidValue: (a: { where: string; problem: string; got?: string; description?: string }, at?: Where) =>
    make('E_SCHEMA', `${a.where} ${a.problem}${a.got ?? ''}.`, a.description, at),

  unknownVar: (a: { name: string; known: readonly string[] }, at?: Where) =>
    make('E_VAR', `Unknown variable \${${a.name}}.${didYouMean(a.name, a.known)}`,
      `Define it under \`vars:\` at the top of the pipeline. Known: ${listOf(a.known)}.`, at),

  setMalformed: (a: { assignment: string }, at?: Where) =>
    make('E_SET', `--set "${a.assignment}" must look like path=value.`, 'Example: --set stages.pretrain.with.lr=3e-4', at),

  setNoSuchKey: (a: { path: string; key: string; known: readonly string[] }, at?: Where) =>
    make('E_SET', `--set ${a.path}: no such key.${didYouMean(a.key, a.known)}`, `Keys here: ${listOf(a.known)}.`, at),

  setForbidden: (a: { path: string; segment: string }, at?: Where) =>
    make('E_SET', `--set ${a.path}: "${a.segment}" cannot be set.`,
      '`__proto__`, `constructor` and `prototype` name JavaScript internals, not pipeline keys; no pipeline has them.', at),

  setNotFinite: (a: { path: string; value: string }, at?: Where) =>
    make('E_SET', `--set ${a.path}=${a.value}: the value is not a finite number.`,
      'Numbers must be finite (1e999 overflows to Infinity); pass a finite value, or quote it to pass a string.', at),

  varForbidden: (a: { name: string; segment: string }, at?: Where) =>
    make('E_VAR', `\${${a.name}}: "${a.segment}" cannot be looked up.`,
      '`__proto__`, `constructor` and `prototype` name JavaScript internals, not variables; rename the variable.', at),

  foreachEmpty: (a: { stage: string }, at?: Where) =>
    make('E_FOREACH', `Stage "${a.stage}" has an empty foreach, so it expands to no stages.`,
      'List at least one item under `foreach:`, or remove the stage.', at),

  foreachDuplicate: (a: { stage: string; name: string }, at?: Where) =>
    make('E_FOREACH', `foreach of stage "${a.stage}" makes two stages named "${a.name}".`,
      'Give every foreach item a distinct value (scalar items name the stages `<stage>@<item>`).', at),

  /** `known` lists every type a built-in stage or a loaded plugin provides. */
  unknownStageType: (a: { type: string; known: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_STAGE_TYPE', `Unknown stage type "${a.type}".${didYouMean(a.type, a.known)}`,
      `Known types: ${a.known.join(', ')}. A plugin listed under \`plugins:\` can add more.`, at),

  /** `known` includes `auto`. */
  unknownBackend: (a: { backend: string; known: readonly string[] }, at?: Where) =>
    make('E_BACKEND', `Unknown backend "${a.backend}".${didYouMean(a.backend, a.known)}`, `Known backends: ${a.known.join(', ')}.`, at),

  /** `index` is the entry's position in a filter stage's `rules:`, when the error points at it. */
  unknownRule: (a: { rule: string; known: readonly string[]; index?: number }, at?: Where) =>
    make('E_UNKNOWN_RULE', `${a.index === undefined ? 'Unknown' : `rules[${a.index}]: unknown`} filter rule "${a.rule}".${didYouMean(a.rule, a.known)}`,
      `Known rules: ${a.known.join(', ')}. A plugin listed under \`plugins:\` can add filters.`, at),

  unknownReward: (a: { reward: string; known: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_REWARD', `Unknown reward function "${a.reward}".${didYouMean(a.reward, a.known)}`,
      `${a.known.length ? `Known rewards: ${a.known.join(', ')}. ` : ''}A plugin listed under \`plugins:\` adds them with defineReward.`, at),

  unknownMetric: (a: { metric: string; known: readonly string[] }, at?: Where) =>
    make('E_UNKNOWN_METRIC', `Unknown metric "${a.metric}".${didYouMean(a.metric, a.known)}`,
      `Known metrics: ${a.known.join(', ')}. A plugin can add more with defineMetric.`, at),
};
