/**
 * @fileoverview What a remote cache needs from where it keeps bytes: a shared folder
 * (./folder.ts) or an S3-compatible bucket (./s3.ts). Paths are POSIX-style, relative to the
 * remote's root. Every write is all-or-nothing for a reader: a folder writes a temporary
 * name and renames it; an object store's PUT is atomic per object.
 */
export interface RemoteTransport {
  /** Where it points, for messages (`/mnt/cache`, `s3://bucket/prefix`). */
  readonly url: string;
  /** Whether an object exists. */
  exists(path: string): Promise<boolean>;
  /** A small object's bytes (a manifest), or undefined when absent. */
  get(path: string): Promise<Buffer | undefined>;
  /** Copies an object to a local file; false when absent. */
  download(path: string, file: string): Promise<boolean>;
  /** Uploads a local file as an object. */
  upload(file: string, path: string): Promise<void>;
  /** Writes a small object. */
  put(path: string, data: string): Promise<void>;
  /** Releases connections (object stores). */
  close?(): void;
}
