import { z } from 'zod';
import { AGENT_STEPS, nodeStatusSchema, type DiskImage } from '@metalyard/domain';
import type { LookupResult } from '@metalyard/usecases';

export const imageSchema = z.object({ name: z.string(), sizeBytes: z.number().int(), sha256: z.string() });
export type ImageView = z.infer<typeof imageSchema>;

/** What machine.lookup tells the agent (apps/agent/README.md). */
export const lookupOutputSchema = z.object({
  /** null: the machine is unknown (the agent enlists it, or powers off). */
  systemId: z.string().nullable(),
  status: nodeStatusSchema.nullable(),
  step: z.enum([...AGENT_STEPS, 'none']),
  /** The step's per-node token: on the first lookup in the status only, then null. */
  token: z.string().nullable(),
  heartbeatSeconds: z.number().int(),
  /** For a deployment: the image to write, where to download it (bearer: the token), its size and SHA-256. */
  image: imageSchema.extend({ url: z.string() }).nullable(),
  erase: z.object({ mode: z.enum(['quick', 'full']) }).nullable(),
});

export const heartbeatOutputSchema = z.object({ systemId: z.string(), status: nodeStatusSchema, proceed: z.boolean() });

export function toImageView(image: DiskImage): ImageView {
  return { name: image.name, sizeBytes: image.sizeBytes, sha256: image.sha256 };
}

/** Where the agent downloads an image: the server's own URL (METALYARD_BOOT_URL, or the request's Host). */
export function imageUrl(baseUrl: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/boot/images/${encodeURIComponent(name)}`;
}

export function toLookupView(result: LookupResult, baseUrl: string): z.infer<typeof lookupOutputSchema> {
  return {
    systemId: result.node?.systemId ?? null,
    status: result.node?.status ?? null,
    step: result.step,
    token: result.token,
    heartbeatSeconds: result.heartbeatSeconds,
    image: result.image ? { ...toImageView(result.image), url: imageUrl(baseUrl, result.image.name) } : null,
    erase: result.erase,
  };
}
