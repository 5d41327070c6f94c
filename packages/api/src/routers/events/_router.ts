import { router } from '../../trpc.js';
import { listEvents } from './list.js';
import { onEventChange } from './on-change.js';

export const eventsRouter = router({ list: listEvents, onChange: onEventChange });
