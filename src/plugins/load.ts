/**
 * @fileoverview Loads plugins listed under `plugins:` (a path relative to the pipeline, or a
 * package name). A broken plugin — missing file, syntax error, wrong export — gives a
 * TrainyardError that names the plugin. TypeScript plugins load through tsx.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errors } from '../errors/index.js';
import { sha256 } from '../util/hash.js';
import type { PluginMeta } from './contracts.js';
import type { PluginDefinition } from './define.js';

let tsxRegistered = false;

/** Resolves a plugin specifier to an absolute file path. */
function resolvePlugin(spec: string, fromDir: string): string | undefined {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const p = resolve(fromDir, spec);
    return existsSync(p) ? p : undefined;
  }
  try {
    return createRequire(resolve(fromDir, 'noop.js')).resolve(spec);
  } catch {
    return undefined;
  }
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  const ts = /\.(m|c)?tsx?$/.test(path);
  // tsx is a runtime dependency only for this: user .ts plugins (Node 20 cannot strip types); core, native backend included, never loads .ts.
  if (ts && !tsxRegistered && !process.execArgv.some((a) => a.includes('tsx'))) {
    // Both hooks: a .ts file is ESM or CommonJS depending on its package's "type".
    const [{ register }, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    register();
    cjs.register();
    tsxRegistered = true;
  }
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    // A .ts plugin in a CommonJS package ("type": "commonjs") compiles to CommonJS and cannot
    // be required from ESM; tsx's scoped importer loads it as a module instead.
    const why = `${(err as Error).message} ${(err as NodeJS.ErrnoException).code ?? ''}`;
    if (!ts || !/require\(\) ES Module|ERR_REQUIRE/.test(why)) throw err;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

function isPlugin(v: unknown): v is PluginDefinition {
  return !!v && typeof v === 'object' && typeof (v as PluginDefinition).name === 'string' && typeof (v as PluginDefinition).version === 'string';
}

/** Imports one plugin; `spec` is shown in errors as the user wrote it. */
export async function loadPlugin(spec: string, fromDir: string): Promise<{ plugin: PluginDefinition; meta: PluginMeta }> {
  const path = resolvePlugin(spec, fromDir);
  if (!path) {
    throw errors.pluginNotFound({ spec, path: resolve(fromDir, spec) });
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(path);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw errors.pluginLoadFailed({ spec, reason: msg, path }, { cause: err });
  }
  let plugin = mod.default ?? mod.plugin;
  // A plugin compiled to CommonJS arrives as { default: plugin } inside the default export.
  if (!isPlugin(plugin) && plugin && typeof plugin === 'object' && isPlugin((plugin as { default?: unknown }).default)) {
    plugin = (plugin as { default: unknown }).default;
  }
  if (!isPlugin(plugin)) {
    throw errors.pluginNoExport({ spec });
  }
  const codeHash = sha256(readFileSync(path));
  return { plugin, meta: { name: plugin.name, version: plugin.version, codeHash, specifier: path } };
}
