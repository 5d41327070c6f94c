import type { DiskImage } from '@metalyard/domain';

/**
 * The raw disk images deployments write (the server's images folder): each with its size and
 * SHA-256, which the catalog computes once and keeps until the file changes. Reading a big image's
 * hash the first time takes a while: the use cases never ask inside a transaction.
 */
export interface ImageCatalog {
  /** Every image, by name. */
  list(): Promise<DiskImage[]>;
  /** One image, or null when there is no such file. */
  get(name: string): Promise<DiskImage | null>;
}

/** No images folder: nothing to deploy from. */
export const NO_IMAGES: ImageCatalog = { list: () => Promise.resolve([]), get: () => Promise.resolve(null) };
