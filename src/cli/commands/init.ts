/**
 * @fileoverview `trainyard init [dir]`: scaffold a project (see src/init), then say what to run.
 */
import { relative } from 'node:path';
import pc from 'picocolors';
import { initProject, type InitOptions } from '../../init/index.js';
import { EXIT } from '../output.js';

export async function initCommand(dir: string | undefined, o: InitOptions): Promise<number> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !o.yes;
  let r: Awaited<ReturnType<typeof initProject>>;
  try {
    r = await initProject(dir ?? '.', { ...o, interactive });
  } catch (err) {
    // Ctrl-C inside a prompt: nothing was written yet.
    if (err instanceof Error && err.name === 'ExitPromptError') { process.stderr.write('init cancelled; nothing written\n'); return EXIT.CANCELLED; }
    throw err;
  }
  const where = relative(process.cwd(), r.dir);
  process.stdout.write(`${pc.green('✔')} created ${r.answers.name} (${r.answers.data}, ${r.answers.model} model)${where ? ` in ${where}` : ''}\n`);
  for (const f of r.files) process.stdout.write(pc.dim(`  ${f}\n`));
  process.stdout.write(`\nnext:\n${where ? `  cd ${where}\n` : ''}  npx trainyard run          ${pc.dim('# train (cached, resumable)')}\n  npx trainyard run --watch  ${pc.dim('# re-run as you edit')}\n`);
  return EXIT.OK;
}
