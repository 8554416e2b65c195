/**
 * @fileoverview The `cuda` TF.js backend: a KernelBackend whose tensors live in device memory
 * (the addon's caching allocator). Kernels run asynchronously on the addon's stream; only
 * `readSync`/`read` (dataSync, data, print) copy back and wait. Kernels without a device
 * implementation (or inputs a device kernel does not take) run on a private `cpu` backend:
 * inputs are downloaded, the tfjs-backend-cpu kernel runs, outputs are uploaded; each such
 * fallback is counted (`fallbackCounts`) so tests can require that training never takes one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendTimingInfo, DataId, DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { CudaAddon, Ptr } from './addon.js';

type BackendValues = Float32Array | Int32Array | Uint8Array | Uint8Array[];

interface DeviceData {
  ptr: Ptr;
  bytes: number;
  dtype: DataType;
  refCount: number;
  /** Strings stay on the host (no kernel reads them on the device). */
  strings?: Uint8Array[];
}

const BYTES: Partial<Record<DataType, number>> = { float32: 4, int32: 4, bool: 1 };
export const DTYPE_CODE: Partial<Record<DataType, number>> = { float32: 0, int32: 1, bool: 2 };

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function hostArray(dtype: DataType, n: number): Float32Array | Int32Array | Uint8Array {
  return dtype === 'int32' ? new Int32Array(n) : dtype === 'bool' ? new Uint8Array(n) : new Float32Array(n);
}

export class CudaBackend extends tf.KernelBackend {
  private readonly data = new WeakMap<DataId, DeviceData>();
  private count = 0;
  private cpu?: MathBackendCPU;
  /** Kernel name → how many times it ran on the host fallback. */
  readonly fallbackCounts = new Map<string, number>();

  constructor(readonly addon: CudaAddon, readonly tfName: string) {
    super();
  }

  // ---- storage ------------------------------------------------------------------------

  private entry(dataId: DataId): DeviceData {
    const d = this.data.get(dataId);
    if (!d) throw new Error(`${this.tfName} backend: tensor data is not on this backend (disposed?)`);
    return d;
  }

  /** Device pointer of a tensor's data. */
  ptr(t: TensorInfo): Ptr {
    return this.entry(t.dataId).ptr;
  }

  private store(dataId: DataId, values: BackendValues | null, shape: number[], dtype: DataType, refCount: number): void {
    if (dtype === 'string') {
      this.data.set(dataId, { ptr: 0, bytes: 0, dtype, refCount, strings: (values as Uint8Array[] | null) ?? [] });
      this.count++;
      return;
    }
    const bpe = BYTES[dtype];
    if (!bpe) throw new Error(`${this.tfName} backend: dtype ${dtype} is not supported`);
    const bytes = sizeOf(shape) * bpe;
    const ptr = bytes > 0 ? this.addon.alloc(bytes) : 0;
    if (values && bytes > 0) {
      let typed = values as Float32Array | Int32Array | Uint8Array;
      const want = hostArray(dtype, 0).constructor as typeof Float32Array;
      if (!(typed instanceof want)) typed = want.from(typed as ArrayLike<number>) as never;
      this.addon.upload(ptr, typed);
    }
    this.data.set(dataId, { ptr, bytes, dtype, refCount });
    this.count++;
  }

  override write(values: BackendValues | null, shape: number[], dtype: DataType): DataId {
    const dataId = {};
    this.store(dataId, values, shape, dtype, 1);
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.store(dataId, values, shape, dtype, refCount);
  }

  /** A new output tensor (uninitialised device memory). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo {
    const dataId = {};
    this.store(dataId, null, shape, dtype, 1);
    return { dataId, shape, dtype };
  }

  /** A tensor of `values` uploaded now. */
  makeTensorInfo(shape: number[], dtype: DataType, values: BackendValues): TensorInfo {
    return { dataId: this.write(values, shape, dtype), shape, dtype };
  }

  override readSync(dataId: DataId): BackendValues {
    const d = this.entry(dataId);
    if (d.strings) return d.strings;
    const out = hostArray(d.dtype, d.bytes / BYTES[d.dtype]!);
    if (d.bytes > 0) this.addon.download(d.ptr, out);
    return out;
  }

  override async read(dataId: DataId): Promise<BackendValues> {
    return this.readSync(dataId);
  }

  override refCount(dataId: DataId): number {
    return this.data.get(dataId)?.refCount ?? 0;
  }

  override incRef(dataId: DataId): void {
    this.entry(dataId).refCount++;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const d = this.data.get(dataId);
    if (!d) return true;
    if (force) d.refCount = 0;
    else d.refCount--;
    if (d.refCount > 0) return false;
    if (d.ptr) this.addon.free(d.ptr);
    this.data.delete(dataId);
    this.count--;
    return true;
  }

  /** Disposes a kernel's intermediate output. */
  disposeIntermediate(t: TensorInfo): void {
    this.disposeData(t.dataId);
  }

  override numDataIds(): number {
    return this.count;
  }

  override memory(): { unreliable: boolean; reasons?: string[] } & Record<string, unknown> {
    const m = this.addon.memory();
    return { unreliable: false, numBytesInGPU: m.inUse, numBytesCached: m.cached, peakBytes: m.peak, deviceAllocs: m.deviceAllocs };
  }

  override timerAvailable(): boolean {
    return true;
  }

  override async time(f: () => void): Promise<BackendTimingInfo> {
    const t0 = performance.now();
    f();
    this.addon.sync();
    return { kernelMs: performance.now() - t0 };
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override dispose(): void {
    this.addon.sync();
    this.cpu?.dispose();
  }

  // ---- host fallback ------------------------------------------------------------------

  /**
   * Runs a tfjs-backend-cpu kernel on copies of the inputs and uploads its outputs. An output
   * that is one of the inputs (Identity-like kernels) maps back to the input's device data.
   */
  runOnHost(kernelName: string, cpuKernel: KernelFunc, args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
    this.fallbackCounts.set(kernelName, (this.fallbackCounts.get(kernelName) ?? 0) + 1);
    const cpu = (this.cpu ??= new MathBackendCPU());
    const back = new Map<DataId, TensorInfo>();
    const inputs: Record<string, TensorInfo> = {};
    const made: DataId[] = [];
    for (const [name, t] of Object.entries(args.inputs as Record<string, TensorInfo | undefined>)) {
      if (!t) continue;
      const id = cpu.write(this.readSync(t.dataId) as never, t.shape, t.dtype);
      made.push(id);
      back.set(id, t);
      inputs[name] = { dataId: id, shape: t.shape, dtype: t.dtype };
    }
    try {
      const result = cpuKernel({ inputs: inputs as never, attrs: args.attrs, backend: cpu });
      const upload = (o: TensorInfo): TensorInfo => {
        const src = back.get(o.dataId);
        if (src) {
          this.incRef(src.dataId);
          cpu.disposeData(o.dataId);
          return { dataId: src.dataId, shape: o.shape, dtype: o.dtype };
        }
        const out = this.makeTensorInfo(o.shape, o.dtype, cpu.readSync(o.dataId) as BackendValues);
        cpu.disposeData(o.dataId, true);
        return out;
      };
      return Array.isArray(result) ? result.map(upload) : upload(result);
    } finally {
      for (const id of made) cpu.disposeData(id, true);
    }
  }
}

/** What a device kernel receives: the args and the backend, typed. */
export type CudaKernelRun = (args: Parameters<KernelFunc>[0], backend: CudaBackend) => TensorInfo | TensorInfo[] | undefined;

/**
 * A kernel config for the cuda backends; `run` returns undefined to take the host fallback
 * (the tfjs-backend-cpu kernel of the same name).
 */
export function cudaKernel(kernelName: string, backendName: string, run: CudaKernelRun): KernelConfig {
  let cpuKernel: KernelFunc | undefined;
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as CudaBackend;
      const out = run(args, backend);
      if (out !== undefined) return out;
      cpuKernel ??= tf.getKernel(kernelName, 'cpu')?.kernelFunc;
      if (!cpuKernel) throw new Error(`${backendName} backend: kernel ${kernelName} has no device or host implementation for these inputs`);
      return backend.runOnHost(kernelName, cpuKernel, args);
    },
  };
}
