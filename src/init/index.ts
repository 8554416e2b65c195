/**
 * @fileoverview `trainyard init [dir]`: scaffolds a project in an empty folder, from flags
 * (`--yes --name --data --model`) or by asking (on a terminal). Refuses a folder with files
 * in it unless `force`; with `force` it overwrites its own files and appends to README.md
 * and .gitignore.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors } from '../errors/index.js';
import { DATASETS, GITIGNORE, MODELS, examplePlugin, pipelineYaml, readmeSection, type DataChoice, type InitAnswers, type ModelChoice } from './templates.js';

export { DATASETS, MODELS, pipelineYaml, examplePlugin, readmeSection, type InitAnswers, type DataChoice, type ModelChoice } from './templates.js';

export interface InitOptions {
  name?: string;
  /** `moby-dick` | `sotu`. @default 'moby-dick' */
  data?: string;
  /** `tiny` | `small`. @default 'tiny' */
  model?: string;
  /** Accept defaults for everything not given; never prompt. @default false */
  yes?: boolean;
  /** Write into a folder that has files. @default false */
  force?: boolean;
  /** Ask for missing answers (the CLI sets this on a TTY). @default false */
  interactive?: boolean;
}

export interface InitResult { dir: string; answers: InitAnswers; files: string[] }

/** Entries that do not make a folder "not empty". */
const OWN = new Set(['.git']);

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw errors.flagChoice({ flag, value, allowed });
}

/** A pipeline name from a folder name: lower-case, dashes. */
export function defaultName(dir: string): string {
  return basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-model';
}

/** The schema path for the `$schema` comment: the project's installed trainyard if any, else this install's. */
export function schemaPathFor(dir: string): string {
  const local = join(dir, 'node_modules/trainyard/schemas/pipeline.schema.json');
  if (existsSync(local)) return './node_modules/trainyard/schemas/pipeline.schema.json';
  return fileURLToPath(new URL('../../schemas/pipeline.schema.json', import.meta.url));
}

async function ask(o: InitOptions, dir: string, data?: DataChoice, model?: ModelChoice): Promise<Omit<InitAnswers, 'schemaPath'>> {
  const name = o.name ?? defaultName(dir);
  if (!o.interactive || o.yes) return { name, data: data ?? 'moby-dick', model: model ?? 'tiny' };
  const { input, select } = await import('@inquirer/prompts');
  return {
    name: o.name ?? await input({ message: 'Project name', default: name, validate: (v) => /^[A-Za-z0-9_-]+$/.test(v) || 'letters, digits, - and _ only' }),
    data: data ?? await select<DataChoice>({ message: 'Training data', choices: Object.entries(DATASETS).map(([value, d]) => ({ value: value as DataChoice, name: d.label })) }),
    model: model ?? await select<ModelChoice>({ message: 'Model size', choices: Object.entries(MODELS).map(([value, m]) => ({ value: value as ModelChoice, name: m.label })) }),
  };
}

async function checkEmpty(dir: string, force: boolean): Promise<void> {
  if (!existsSync(dir)) return;
  const present = (await readdir(dir)).filter((f) => !OWN.has(f));
  if (present.length > 0 && !force) {
    throw errors.initNotEmpty({ dir, present });
  }
}

/** Appends `text` to a file unless it already contains `marker`; creates the file with `header` first. */
async function appendOnce(path: string, text: string, marker: string, header = ''): Promise<void> {
  const old = existsSync(path) ? await readFile(path, 'utf8') : undefined;
  if (old === undefined) await writeFile(path, header + text);
  else if (!old.includes(marker)) await appendFile(path, `${old.endsWith('\n') ? '' : '\n'}\n${text}`);
}

/** Scaffolds the project; returns what it wrote. */
export async function initProject(dirArg: string, o: InitOptions = {}): Promise<InitResult> {
  const dir = resolve(dirArg);
  const data = choice<DataChoice>('data', o.data, ['moby-dick', 'sotu']);
  const model = choice<ModelChoice>('model', o.model, ['tiny', 'small']);
  if (o.name !== undefined && !/^[A-Za-z0-9_-]+$/.test(o.name)) throw errors.initName({ name: o.name });
  await checkEmpty(dir, o.force === true);
  const answers: InitAnswers = { ...(await ask(o, dir, data, model)), schemaPath: schemaPathFor(dir) };
  await mkdir(join(dir, 'plugins'), { recursive: true });
  await writeFile(join(dir, 'trainyard.yaml'), pipelineYaml(answers));
  await writeFile(join(dir, 'plugins/example.ts'), examplePlugin());
  await appendOnce(join(dir, 'README.md'), readmeSection(answers), '## Training with Trainyard', `# ${answers.name}\n\n`);
  await appendOnce(join(dir, '.gitignore'), GITIGNORE, '.trainyard/');
  return { dir, answers, files: ['trainyard.yaml', 'plugins/example.ts', 'README.md', '.gitignore'] };
}
