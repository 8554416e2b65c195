/**
 * @fileoverview `trainyard` command line (commander). Argument parsing only: commands live
 * in ./commands, and this is the one place that sets the exit code.
 *
 * Exit codes: 0 ok · 1 a stage failed · 2 bad input (pipeline file, arguments) · 130 cancelled.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { runCommand } from './commands/run.js';
import { initCommand } from './commands/init.js';
import { watchCommand } from './commands/watch.js';
import { statusCommand } from './commands/status.js';
import { gcCommand } from './commands/gc.js';
import { graphCommand } from './commands/graph.js';
import { sampleCommand } from './commands/sample.js';
import { labelCommand } from './commands/label.js';
import { validateCommand } from './commands/validate.js';
import { metricsCommand } from './commands/metrics.js';
import { compareCommand } from './commands/compare.js';
import { sweepCommand } from './commands/sweep.js';
import { runsCommand } from './commands/runs.js';
import { lsCommand } from './commands/ls.js';
import { showCommand } from './commands/show.js';
import { exportCommand } from './commands/export.js';
import { pullCommand, pushCommand } from './commands/remote.js';
import { reportCommand } from './commands/report.js';
import { workerCommand } from './commands/worker.js';
import { EXIT, reportError } from './output.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const collect = (v: string, prev: string[] = []) => [...prev, v];
const debug = process.argv.includes('--debug');

function common(cmd: Command): Command {
  return cmd
    .option('-f, --file <pipeline>', 'pipeline YAML file (default: trainyard.yaml or pipeline.yaml here)')
    .option('--set <path=value>', 'override a value, e.g. stages.pretrain.with.lr=3e-4 (repeatable)', collect)
    .option('--params <file>', 'overrides from a file of path: value lines (e.g. a sweep\'s best.yaml); --set wins')
    .option('--store <dir>', 'cache folder (default: .trainyard/ at the project root)')
    .option('--debug', 'print stack traces for unexpected errors');
}

function action<A extends unknown[]>(fn: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      process.exitCode = reportError(err, debug);
    }
  };
}

const program = new Command('trainyard')
  .description('Train small language models end to end, declared as code.')
  .version(pkg.version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

common(program.command('run').argument('[stages...]', 'stages to bring up to date (with their upstream); default: all')
  .description('run the pipeline: only stages whose config, inputs or code changed run again')
  .option('--from <stage>', 'only this stage and what depends on it')
  .option('--until <stage>', 'only this stage and what it depends on')
  .option('--only', 'run just the named stages; their inputs must be cached')
  .option('--force', 'run selected stages even if cached')
  .option('-n, --dry-run', 'explain what would run and why, run nothing')
  .option('-j, --jobs <n>', 'stages to run at once (default: number of cores)')
  .option('-k, --keep-going', 'after a failure, keep running stages it does not affect')
  .option('--plain', 'plain line output (default when not a TTY)')
  .option('--json', 'one JSON event per line')
  .option('-v, --verbose', 'show debug logs (why each stage runs)')
  .option('-w, --watch', 're-run as the pipeline, its plugins or its source files change')
  .option('--finish <stage>', 'with --watch: let this stage finish even when an edit makes it stale (repeatable)', collect)
  .option('--remote <url>', 'remote cache folder (pull on a miss, push what runs); none to turn the pipeline\'s off')
  .option('--executor <url>', 'where stages run: local (default), redis://host:port (a queue that `trainyard worker`s take stages from) or slurm[:partition] (one sbatch job per stage); the last two need a remote cache'))
  .action(action((stages: string[], o) => (o.watch ? watchCommand(stages, o) : runCommand(stages, o))));

program.command('init').argument('[dir]', 'folder for the new project (default: here)')
  .description('scaffold a project: a pipeline on shipped data, an example plugin, editor completion')
  .option('-y, --yes', 'use defaults for what is not given; do not ask')
  .option('--name <name>', 'project name (default: the folder name)')
  .addOption(new Option('--data <dataset>', 'training data').choices(['moby-dick', 'sotu']))
  .addOption(new Option('--model <size>', 'model preset').choices(['tiny', 'small']))
  .option('--force', 'write into a folder that is not empty')
  .action(action((dir: string | undefined, o) => initCommand(dir, o)));

common(program.command('status').argument('[stages...]', 'stages to explain (default: all)')
  .description('show which stages are cached and why the others would run')
  .option('--json', 'machine-readable output'))
  .action(action((stages: string[], o) => statusCommand(stages, o)));

common(program.command('validate').description('check a pipeline file (schema, references, types, cycles) without running'))
  .action(action((o) => validateCommand(o)));

common(program.command('graph').description('print the stage graph')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'mermaid', 'dot']).default('text')))
  .action(action((o) => graphCommand(o)));

common(program.command('gc').description('remove cached results no lock file or recent run references')
  .option('-n, --dry-run', 'list what would be removed')
  .option('--keep-days <n>', 'keep results of runs from the last n days', '7'))
  .action(action((o) => gcCommand(o)));

common(program.command('sample').argument('<model>', 'a model folder, or the name of a training stage in the pipeline')
  .description('generate text from a trained model, streaming to the terminal')
  .option('-p, --prompt <text>', 'text to continue', '')
  .option('--max-tokens <n>', 'tokens to generate', '200')
  .option('--temperature <t>', 'sampling temperature (0 = greedy)', '0.8')
  .option('--chat', 'send the prompt as a user message through the model\'s chat template (tokenizer_config.json, e.g. after sft) and stop at the end of the turn')
  .option('--top-k <k>', 'sample from the k most likely tokens')
  .option('--top-p <p>', 'nucleus sampling threshold')
  .option('--seed <n>', 'random seed', '1337')
  .option('--stop <text>', 'stop when this text is generated (repeatable)', collect)
  .option('--backend <name>', 'tensor backend', 'auto'))
  .action(action((model: string, o) => sampleCommand(model, o)));

common(program.command('label').argument('<model>', 'a model folder, or the name of a training stage in the pipeline')
  .description('label preference pairs: two samples per prompt side by side, pick the better (appends TRL {"prompt","chosen","rejected"} lines, resumes); --judge scores samples with a reward function instead')
  .requiredOption('--prompts <file>', 'JSONL prompts: {"prompt": …}, a JSON string, or {"messages": […]} (first user turn)')
  .requiredOption('--out <file>', 'preference JSONL to append to (ties get "tie": true, skips {"prompt", "skipped": true})')
  .option('--max-tokens <n>', 'tokens per sample', '64')
  .option('--temperature <t>', 'sampling temperature (both samples)', '1')
  .option('--top-k <k>', 'sample from the k most likely tokens')
  .option('--chat', 'send each prompt as a user message through the model\'s chat template; writes the conversational form')
  .option('--seed <n>', 'base seed (each prompt\'s samples derive from it)', '1337')
  .option('--judge <reward>', 'no UI: score --n samples per prompt with this plugin reward function, keep best vs worst')
  .option('--n <n>', 'samples per prompt with --judge', '4')
  .option('--reward-options <json>', 'options for the --judge reward function (JSON)')
  .option('--plugin <module>', 'plugin module providing the --judge reward (repeatable; the pipeline\'s plugins are loaded too)', collect)
  .option('--backend <name>', 'tensor backend', 'auto'))
  .action(action((model: string, o) => labelCommand(model, o)));

common(program.command('metrics').description("show each stage's final metrics from the latest run")
  .option('--run <id>', 'a run id, latest, previous or latest~N', 'latest')
  .option('--json', 'machine-readable output'))
  .action(action((o) => metricsCommand(o)));

common(program.command('runs').description('list runs: status, duration, git commit (* = uncommitted changes), backend, sweep trial, objective metrics')
  .option('--all', 'runs of every pipeline in this store')
  .option('--metric <stage.metric>', 'a metric column (repeatable; default: val_loss, bits_per_byte, … where present)', collect)
  .option('--last <n>', 'only the newest n runs')
  .option('--json', 'machine-readable output'))
  .action(action((o) => runsCommand(o)));

common(program.command('report').argument('[run]', 'run id, latest, previous, latest~N or a sweep trial <sweep>#<n> (default: latest)')
  .description('write one self-contained HTML report of a run: DAG, time and cache hits, data funnel, training curves, evaluation, samples, sweep')
  .option('-o, --output <file>', 'where to write it (default: .trainyard/reports/<run>.html)'))
  .action(action((run: string | undefined, o) => reportCommand(run, o)));

common(program.command('compare').argument('[a]', 'run id, latest, previous, latest~N or a sweep trial <sweep>#<n> (default: previous)').argument('[b]', 'run to compare with (default: latest)')
  .description('diff params and metrics between two runs, or with --rev between a git revision of the lock file and the workspace')
  .option('--rev <rev>', 'compare the lock file at this git revision (e.g. HEAD~1) with the workspace')
  .option('--all', 'list unchanged metrics too')
  .option('--json', 'machine-readable output'))
  .action(action((a: string | undefined, b: string | undefined, o) => compareCommand(a, b, o)));

common(program.command('sweep').description('run the pipeline\'s sweep: block (trials are pipeline variants sharing cached stages); resumes an interrupted sweep')
  .option('-j, --jobs <n>', 'trials to run at once (default: number of cores)')
  .option('--fresh', 'forget the recorded state and start over (cached results are reused)')
  .option('--promote <trial>', 'train a pruned trial on to the end, from its checkpoint')
  .option('--replay <sweep>', 'run the trials of another sweep (its name, or its state.json), same params in order, e.g. to time them without pruning')
  .option('--out <file>', 'also write the best params here (always: .trainyard/sweeps/<name>/best.yaml)')
  .option('-v, --verbose', 'show the stages\' logs')
  .option('--json', 'print the sweep state as JSON at the end'))
  .action(action((o) => sweepCommand(o)));
common(program.command('ls').argument('[stages...]', 'stages to list (default: all)')
  .description("list the pipeline's stages: cache key, cached or not, and each artifact's kind, size and files")
  .option('--json', 'machine-readable output'))
  .action(action((stages: string[], o) => lsCommand(stages, o)));

common(program.command('show').argument('<artifact>', 'stage (all its outputs) or stage.output')
  .description('where an artifact lives in the store and what it holds (documents, tokens, model shape, metrics)')
  .option('--json', 'machine-readable output'))
  .action(action((target: string, o) => showCommand(target, o)));

common(program.command('export').argument('<artifact>', 'stage (its first output) or stage.output').argument('<dir>', 'folder to write (replaced atomically)')
  .description('copy an artifact out of the store: a model as a Hugging Face folder with a model card, tokens as nanoGPT train.bin/val.bin + meta.json, documents as JSONL')
  .option('--link', 'hard-link the files instead of copying (no extra space; copies across file systems)')
  .addOption(new Option('--symlink', 'symlink the files into the store instead of copying').conflicts('link'))
  .option('--force', 'replace a folder that is not empty'))
  .action(action((target: string, dir: string, o) => exportCommand(target, dir, o)));

for (const [name, what, fn] of [['push', 'upload up-to-date results the remote cache lacks', pushCommand], ['pull', 'download results missing here from the remote cache (verified)', pullCommand]] as const) {
  common(program.command(name).argument('[stages...]', 'stages (with their upstream; default: all)').description(what)
    .option('--remote <url>', 'remote cache folder (default: the pipeline\'s remote:, TRAINYARD_REMOTE, or the user config)')
    .option('--json', 'machine-readable output'))
    .action(action((stages: string[], o) => fn(stages, o)));
}

program.command('worker').description('run stages queued by `trainyard run --executor redis://…` on this machine, until Ctrl-C')
  .option('--queue <url>', 'the Redis the runs queue stages on, e.g. redis://localhost:6379 (default: TRAINYARD_QUEUE)')
  .option('--tags <list>', 'what this machine offers, comma-separated (e.g. gpu): it also takes the stages that need these tags')
  .option('--concurrency <n>', 'stages to run at once', '1')
  .option('--dir <folder>', 'checkout of the project: stages run here and relative plugin paths resolve here (default: the current folder)')
  .option('--store <dir>', 'this worker\'s cache folder (default: .trainyard/ in --dir)')
  .option('--remote <url>', 'the remote cache, where it is mounted here (default: the one each job names)')
  .option('--json', 'one JSON line per job event')
  .option('--once <file>', 'run the one stage job in this file (- for stdin) and exit, as a Slurm job does (no --queue)')
  .addOption(new Option('--lock-ms <ms>', 'job lock time: a dead worker\'s stage is re-queued within about twice this (default: 30000, or TRAINYARD_QUEUE_LOCK_MS)').hideHelp())
  .option('--debug', 'print stack traces for unexpected errors')
  .action(action((o) => workerCommand(o)));

// A reader that stops early (`trainyard show … | head -1`) closes the pipe: the output is no
// longer wanted, so end quietly, as Unix tools do, instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USER_ERROR;
  } else {
    process.exitCode = reportError(err, debug);
  }
}
