import { router } from '../../trpc.js';
import { listImages } from './list.js';

export const imagesRouter = router({ list: listImages });
