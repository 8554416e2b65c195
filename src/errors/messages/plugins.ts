/**
 * @fileoverview Messages for plugins (src/plugins and the hooks stages call): a plugin that
 * cannot be found, loaded or recognised, and a plugin hook that throws.
 */
import { make, type Where } from './make.js';

export const pluginErrors = {
  /** `path` is where a relative `spec` was looked for. */
  pluginNotFound: (a: { spec: string; path: string }, at?: Where) =>
    make('E_FILE_NOT_FOUND', `Plugin "${a.spec}" not found.`,
      a.spec.startsWith('.') ? `Looked for ${a.path}; paths are relative to the pipeline file.` : `Install it (npm install ${a.spec}) or give a path like ./plugins/${a.spec}.ts.`,
      { plugin: a.spec, ...at }),

  /** `reason` is the first line of the import error; `path` the resolved module. */
  pluginLoadFailed: (a: { spec: string; reason: string; path: string }, at?: Where) =>
    make('E_PLUGIN_LOAD', `Plugin "${a.spec}" failed to load: ${a.reason}`, `Check ${a.path} for syntax errors or missing imports.`, { plugin: a.spec, ...at }),

  pluginNoExport: (a: { spec: string }, at?: Where) =>
    make('E_PLUGIN_EXPORT', `Plugin "${a.spec}" does not export a plugin.`,
      'Its module must `export default definePlugin({ name, version, stages?, filters?, metrics?, backends? })`.', { plugin: a.spec, ...at }),

  /** A plugin filter threw; `at.plugin` names the plugin, `at.cause` is what it threw. */
  filterThrew: (a: { filter: string; doc: string; reason: string }, at?: Where) =>
    make('E_PLUGIN_HOOK', `filter "${a.filter}" threw on document ${a.doc}: ${a.reason}`, undefined, at),
};
