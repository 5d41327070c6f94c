import { noInputSchema } from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc.js';
import { imageSchema, toImageView } from '../../wire/index.js';

/** The raw disk images a deployment can write (METALYARD_IMAGES_DIR), by name, with size and SHA-256. */
export const listImages = protectedProcedure
  .meta({
    openapi: { method: 'GET', path: '/v1/images', tags: ['images'], summary: 'The disk images deployments can write', protect: true },
  })
  .input(noInputSchema)
  .output(z.array(imageSchema))
  .query(async ({ ctx }) => (await ctx.app.images.list()).map(toImageView));
