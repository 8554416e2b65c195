/**
 * @fileoverview Collects file-change paths and flushes them once no new change arrived for
 * `ms` (editors write a file several times per save; `git checkout` touches many at once).
 */
export class ChangeBatcher {
  private paths = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number, private readonly flush: (paths: string[]) => void) {}

  add(path: string): void {
    this.paths.add(path);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const batch = [...this.paths].sort();
      this.paths = new Set();
      this.flush(batch);
    }, this.ms);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.paths.clear();
  }
}
