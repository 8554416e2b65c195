// Types of ./cuda-build.mjs for the TypeScript tests and scripts that import it.
export interface BuildResult { ok: boolean; why?: string; path?: string; seconds: number }
export const CUDA_SOURCE: string;
export const RELEASE_DIR: string;
export function findNvcc(): string | undefined;
export function gpuPresent(): boolean;
export function buildEmulated(outDir?: string): BuildResult;
export function buildGpu(outDir?: string, arch?: string): BuildResult;
export function gpuBuildWanted(): { wanted: boolean; why?: string };
