import type { Clock, EventFeed, ImageCatalog, UnitOfWork } from './ports/index.js';
import type { PowerControl } from './power/power-control.js';
import type { Settings } from './settings.js';
import type { DeclaredGauge } from './shared/declared-gauge.js';
import type { HostnamePicker } from './shared/hostnames.js';

/** What every use case gets: storage through the unit of work, the event feed, the clock, the settings. */
export interface Deps {
  uow: UnitOfWork;
  feed: EventFeed;
  clock: Clock;
  settings: Settings;
  /** Process-local state shared by the use cases that need it. */
  declared: DeclaredGauge;
  hostnames: HostnamePicker;
  /** The BMCs: lifecycle steps drive them after their status change commits. */
  power: PowerControl;
  /** The disk images deployments write. */
  images: ImageCatalog;
  observer: UseCaseObserver;
}

/** What the use cases tell about their inner workings, for the server's metrics. */
export interface UseCaseObserver {
  /** A group commit wrote a batch of `size` requests in one transaction (`writer`: which one, e.g. `enlist`). */
  batchWritten?(writer: string, size: number): void;
}
