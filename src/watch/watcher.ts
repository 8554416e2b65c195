/**
 * @fileoverview The file watcher of a watch session (chokidar): starts on the pipeline file,
 * then follows whatever set of files and folders the latest load named. The store, lock files,
 * node_modules and .git are never watched: our own writes must not look like input changes.
 */
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

const IGNORED = /(^|[\\/])(\.trainyard|node_modules|\.git)([\\/]|$)/;

export class FileWatcher {
  private watched: Set<string>;

  private constructor(private readonly file: string, private readonly fsw: FSWatcher) {
    this.watched = new Set([file]);
  }

  /** Watches `file` (absolute); resolves once the watcher is ready. */
  static async open(file: string, onPath: (path: string) => void, usePolling?: boolean): Promise<FileWatcher> {
    const fsw = watch([file], { ignoreInitial: true, usePolling, interval: 100, ignored: (p: string) => IGNORED.test(p) || p.endsWith('.lock') });
    await new Promise<void>((r) => fsw.once('ready', () => r()));
    fsw.on('all', (_event, path) => onPath(resolve(path)));
    return new FileWatcher(file, fsw);
  }

  /** Watches the pipeline file and exactly `paths` from now on. */
  follow(paths: Iterable<string>): void {
    const next = new Set([this.file, ...paths]);
    const add = [...next].filter((f) => !this.watched.has(f));
    const drop = [...this.watched].filter((f) => !next.has(f));
    if (add.length) this.fsw.add(add);
    if (drop.length) this.fsw.unwatch(drop);
    this.watched = next;
  }

  /** The watched paths, sorted. */
  paths(): string[] {
    return [...this.watched].sort();
  }

  close(): Promise<void> {
    return this.fsw.close();
  }
}
