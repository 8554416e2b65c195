/**
 * @fileoverview Plain line output (non-TTY, CI, --plain) and JSON lines (--json), both
 * RunLifecycle listeners. Progress is printed at most every few seconds per stage.
 */
import pc from 'picocolors';
import type { Progress, RunInfo, RunLifecycle, RunSummary, StageEndInfo } from '../runner/lifecycle.js';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4));
const secs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export class PlainRenderer implements RunLifecycle {
  private readonly lastProgress = new Map<string, number>();
  constructor(private readonly out: NodeJS.WritableStream = process.stdout, private readonly opts: { verbose?: boolean; progressEveryMs?: number } = {}) {}

  private line(s: string): void { this.out.write(s + '\n'); }

  runStart(info: RunInfo): void { this.line(pc.dim(`run ${info.runId} · ${info.stages.length} stage(s)`)); }
  stageStart(name: string, type: string): void { this.line(`${pc.cyan('▶')} ${name} ${pc.dim(`(${type})`)} running`); }
  stageCached(name: string): void { this.line(`${pc.green('✓')} ${name} ${pc.dim('cached')}`); }
  stageProgress(name: string, p: Progress): void {
    const now = Date.now();
    if (now - (this.lastProgress.get(name) ?? 0) < (this.opts.progressEveryMs ?? 5000) && p.done !== p.total) return;
    this.lastProgress.set(name, now);
    const pct = p.total ? ` ${((100 * p.done) / p.total).toFixed(0)}%` : '';
    this.line(pc.dim(`  ${name}: ${p.done}${p.total ? `/${p.total}` : ''} ${p.unit ?? ''}${pct}${p.message ? ` · ${p.message}` : ''}`));
  }
  stageLog(name: string, level: 'debug' | 'info' | 'warn', message: string): void {
    if (level === 'debug' && !this.opts.verbose) return;
    const tag = level === 'warn' ? pc.yellow('warn') : pc.dim(level);
    this.line(`  ${pc.dim(name)} ${tag} ${message}`);
  }
  stageEnd(info: StageEndInfo): void {
    if (info.status === 'done') {
      this.line(`${pc.green('✔')} ${info.name} ${pc.dim(`done in ${secs(info.durationMs)}`)}`);
      const m = Object.entries(info.metrics ?? {}).filter(([k]) => !k.endsWith('_stderr')).slice(0, 8);
      if (m.length > 0) this.line(pc.dim(`  ${info.name} metrics: ${m.map(([k, v]) => `${k} ${fmt(v)}`).join(' · ')}`));
      if (this.opts.verbose) for (const [port, path] of Object.entries(info.outputs ?? {})) this.line(pc.dim(`  ${info.name}.${port} → ${path}`));
    }
    else if (info.status === 'failed') {
      this.line(`${pc.red('✖')} ${info.name} failed: ${info.error?.code} ${info.error?.message}`);
      if (info.error?.hint) this.line(`  hint: ${info.error.hint}`);
    } else if (info.status === 'cancelled') this.line(`${pc.yellow('■')} ${info.name} cancelled: ${info.error?.message}`);
    else if (info.status === 'skipped') this.line(`${pc.yellow('○')} ${info.name} skipped: ${info.error?.message}`);
  }
  runEnd(s: RunSummary): void {
    const c = s.counts;
    const parts = [`${c.done} ran`, `${c.cached} cached`, c.failed ? pc.red(`${c.failed} failed`) : '', c.cancelled ? pc.yellow(`${c.cancelled} cancelled`) : '', c.skipped ? pc.yellow(`${c.skipped} skipped`) : ''].filter(Boolean);
    const outcome = s.ok ? pc.green('ok') : c.failed === 0 && c.cancelled > 0 ? pc.yellow('cancelled') : pc.red('failed');
    this.line(`${outcome} · ${parts.join(' · ')} · ${secs(s.durationMs)}`);
  }
}

/** Every event as one JSON object per line. */
export class JsonRenderer implements RunLifecycle {
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}
  private emit(event: string, data: object): void { this.out.write(JSON.stringify({ event, ...data }) + '\n'); }
  runStart(info: RunInfo): void { this.emit('runStart', info); }
  stageStart(name: string, type: string): void { this.emit('stageStart', { name, type }); }
  stageProgress(name: string, progress: Progress): void { this.emit('stageProgress', { name, progress }); }
  stageLog(name: string, level: string, message: string): void { this.emit('stageLog', { name, level, message }); }
  stageMetric(name: string, metric: string, value: number, step?: number): void { this.emit('stageMetric', { name, metric, value, step }); }
  stageCached(name: string, outputs: Record<string, string>): void { this.emit('stageCached', { name, outputs }); }
  stageEnd(info: StageEndInfo): void { this.emit('stageEnd', info); }
  runEnd(summary: RunSummary): void { this.emit('runEnd', summary); }
}
