/**
 * @fileoverview A remote cache in an S3-compatible bucket, through the official AWS SDK v3
 * (`@aws-sdk/client-s3`, loaded only when an s3:// remote is used). A PUT is atomic per
 * object, which is all the protocol in ./cache.ts needs: blobs first, manifest last.
 *
 *   remote: { url: s3://bucket/prefix, endpoint: http://localhost:9000 }   # MinIO, Ceph, R2, …
 *
 * Credentials and region come from the SDK's usual chain (AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY, ~/.aws, instance roles; AWS_REGION, default us-east-1); the endpoint
 * from `endpoint:` or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, and a custom endpoint uses
 * path-style addressing, as S3-compatible servers expect. The SDK's own CRC checksums are
 * only sent where S3 requires them (many compatible servers reject them); every object's
 * sha256 is checked on download anyway (see cache.ts).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RemoteTransport } from './transport.js';

/** An S3 "no such object" (404 on HEAD, NoSuchKey on GET). */
function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export class S3Transport implements RemoteTransport {
  readonly url: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  /** `url` is `s3://bucket[/prefix]`. */
  constructor(url: string, o: { endpoint?: string; env?: NodeJS.ProcessEnv } = {}) {
    const env = o.env ?? process.env;
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!m) throw new Error(`not an s3:// URL: ${url}`);
    this.url = url;
    this.bucket = m[1]!;
    this.prefix = m[2] ? `${m[2].replace(/\/+$/, '')}/` : '';
    const endpoint = o.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    this.client = new S3Client({
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private key(path: string): string { return this.prefix + path; }

  async exists(path: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(path) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async get(path: string): Promise<Buffer | undefined> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(path) }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async download(path: string, file: string): Promise<boolean> {
    let body: Readable;
    try {
      body = (await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(path) }))).Body as Readable;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
    await pipeline(body, createWriteStream(file));
    return true;
  }

  async upload(file: string, path: string): Promise<void> {
    const { size } = await stat(file);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(path), Body: createReadStream(file), ContentLength: size }));
  }

  async put(path: string, data: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(path), Body: data, ContentType: 'application/json' }));
  }

  close(): void { this.client.destroy(); }
}
