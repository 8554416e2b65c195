/**
 * @fileoverview Backend registry and setup. A backend is `{ name, priority, isAvailable, load }`
 * (TF.js registry shape); `auto` picks the highest-priority available one. Backends are looked
 * up in the run's registry (ctx.registry): the built-ins, and plugin backends, which may
 * replace a built-in of the same name. Without a registry, the built-ins.
 *
 *   const { name, tf } = await setupBackend(ctx.backend, ctx.registry);
 */
import type { BackendDefinition, MatmulPrecision, RegistryView } from '../plugins/contracts.js';
import { builtinRegistry } from '../plugins/registry.js';
import { errors } from '../errors/index.js';
import { setBackendCapabilities } from '../model/capabilities.js';

type Tf = typeof import('@tensorflow/tfjs-core');

/** The registry's backends by name (built-ins and plugin ones). */
function knownBackends(registry: RegistryView = builtinRegistry()): Map<string, BackendDefinition> {
  return new Map(registry.names('backend').map((name) => [name, registry.get('backend', name).value]));
}

/** Names of the backends whose packages are present, highest priority first. */
export async function availableBackends(registry?: RegistryView): Promise<string[]> {
  const out: BackendDefinition[] = [];
  for (const b of knownBackends(registry).values()) if (await b.isAvailable()) out.push(b);
  return out.sort((a, b) => b.priority - a.priority).map((b) => b.name);
}

/** Resolves `auto` and validates a name; throws E_BACKEND with did-you-mean or an install hint. */
export async function resolveBackend(name: string, registry: RegistryView = builtinRegistry()): Promise<BackendDefinition> {
  if (name === 'auto') {
    const first = (await availableBackends(registry))[0];
    if (!first) throw errors.noBackend();
    return registry.get('backend', first).value;
  }
  const def = registry.get('backend', name).value;
  if (!(await def.isAvailable())) {
    throw errors.backendNotInstalled({ backend: name, installHint: def.installHint });
  }
  return def;
}

/**
 * Throws E_BACKEND when `def` cannot run `precision` (tf32/bf16 need `setPrecision`, which
 * only the cuda backends and plugin backends that implement it have; fp32 runs everywhere).
 * @param auto the backend was picked by `backend: auto` (said in the message)
 */
export function checkPrecision(def: BackendDefinition, precision: MatmulPrecision, registry: RegistryView = builtinRegistry(), auto = false): void {
  if (precision === 'fp32' || def.setPrecision) return;
  const supported = [...knownBackends(registry).values()].filter((b) => b.setPrecision).map((b) => b.name);
  throw errors.precisionUnsupported({ backend: def.name, precision, supported, auto });
}

export interface SetupOptions {
  /** Backend notices (a faster backend is not built, `auto` fell back), one line each. */
  onNotice?: (msg: string) => void;
  /**
   * Matmul precision for what runs next; set on every backend that can (fp32 resets what an
   * earlier stage in the same worker set). tf32/bf16 elsewhere throw E_BACKEND.
   * @default 'fp32'
   */
  precision?: MatmulPrecision;
}

/**
 * Loads, registers and activates a backend on the shared TF.js engine, at the matmul precision
 * asked for. Records the definition's `capabilities` for the model (src/model/capabilities.ts).
 * @param name `auto`, a built-in name (`cpu`, `wasm`, `native`, `tensorflow`, `tensorflow-gpu`, `cuda`) or a plugin backend.
 * @returns the Trainyard backend name and the TF.js module, ready to use.
 */
export async function setupBackend(name: string, registry?: RegistryView, opts: SetupOptions = {}): Promise<{ name: string; tf: Tf }> {
  const { onNotice, precision = 'fp32' } = opts;
  let def = await resolveBackend(name, registry);
  checkPrecision(def, precision, registry, name === 'auto');
  const native = knownBackends(registry).get('native');
  if (name === 'auto' && native && def.priority < native.priority && !(await native.isAvailable())) {
    onNotice?.(`using ${def.name}: the faster native backend is not built (${native.installHint})`);
  }
  const tf = await import('@tensorflow/tfjs-core');
  // PROD: no debug checks and no "install tfjs-node" console banner from the cpu backend.
  tf.env().set('PROD', true);
  let tfName: string;
  try {
    tfName = await def.load();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (name !== 'auto') throw errors.backendLoadFailed({ backend: def.name, reason: why, installHint: def.installHint }, { cause: err });
    // `auto` falls back to the next available backend, with a one-line notice.
    const next = (await availableBackends(registry)).filter((n) => n !== def.name)[0];
    if (!next) throw errors.backendLoadFailed({ backend: def.name, reason: why, installHint: def.installHint }, { cause: err });
    onNotice?.(`backend ${def.name} did not load (${why}); using ${next}${def.installHint ? ` — to fix: ${def.installHint}` : ''}`);
    def = knownBackends(registry).get(next)!;
    checkPrecision(def, precision, registry, true);
    tfName = await def.load();
  }
  if (tf.getBackend() !== tfName || !tf.findBackend(tfName)) {
    const ok = await tf.setBackend(tfName);
    if (!ok) throw errors.backendInitFailed({ backend: def.name, installHint: def.installHint });
  }
  await tf.ready();
  // The model asks for capabilities (fused kernels, cheap transpose flags), never for names.
  setBackendCapabilities(tfName, def.capabilities);
  def.setPrecision?.(precision);
  return { name: def.name, tf };
}
