import { NotFoundError, type DiskImage } from '@metalyard/domain';
import type { Deps } from '../deps.js';

/**
 * The image a deployment writes: the one named, else the configured default, else the first image
 * by name; null when the images folder holds none (the agent then reports the deployment failed).
 * A named image (or a configured default) that does not exist is a 404 naming it.
 */
export async function chooseImage(deps: Pick<Deps, 'images' | 'settings'>, name: string | undefined): Promise<DiskImage | null> {
  const wanted = name ?? deps.settings.agent.defaultImage;
  if (wanted) {
    const image = await deps.images.get(wanted);
    if (!image) throw new NotFoundError('image', wanted);
    return image;
  }
  const [first] = await deps.images.list();
  return first ?? null;
}

/** Every image deployments can write. */
export function listImages(deps: Pick<Deps, 'images'>) {
  return (): Promise<DiskImage[]> => deps.images.list();
}
