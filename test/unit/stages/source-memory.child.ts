/**
 * Child process of source-memory.test.ts: runs the source stage with the options given as JSON
 * in argv[2] (cwd argv[3]) and prints its stats, logs and peak RSS as one JSON line, so the
 * parent can pin the stage's peak memory without its own heap in the figure.
 */
import source from '../../../src/stages/source/index.js';
import { runStage } from '../../helpers/stage-tester.js';

const [options, cwd] = [JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>, process.argv[3]];
try {
  const res = await runStage(source, { options, cwd });
  process.stdout.write(`${JSON.stringify({ stats: res.stats, logs: res.logs, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: String(err), maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}
