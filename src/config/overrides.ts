/**
 * @fileoverview `--set stages.pretrain.with.lr=3e-4` overrides. The value is parsed as a YAML
 * scalar/flow value, so `3e-4` is a number and `[a, b]` a list.
 */
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors/index.js';

/** Applies `path=value` assignments to raw pipeline data (mutates and returns it). */
export function applySets(data: Record<string, unknown>, sets: string[]): Record<string, unknown> {
  for (const assignment of sets) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw errors.setMalformed({ assignment });
    }
    const path = assignment.slice(0, eq).trim().split('.');
    let value: unknown;
    try {
      value = parseYaml(assignment.slice(eq + 1));
    } catch {
      value = assignment.slice(eq + 1);
    }
    let cur: Record<string, unknown> = data;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const next = cur[key];
      if (next === undefined && (i >= 3 || (i >= 2 && path[0] === 'stages'))) {
        cur[key] = {};
      } else if (next === undefined || next === null || typeof next !== 'object') {
        const known = Object.keys(cur);
        throw errors.setNoSuchKey({ path: path.slice(0, i + 1).join('.'), key, known });
      }
      cur = cur[key] as Record<string, unknown>;
    }
    cur[path[path.length - 1]!] = value;
  }
  return data;
}
