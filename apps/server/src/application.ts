import type { Database } from '@metalyard/db';
import { POWER_DRIVERS } from '@metalyard/power';
import type { PowerType } from '@metalyard/domain';
import { createApplication, type Application, type ImageCatalog, type PowerDrivers, type UseCaseObserver } from '@metalyard/usecases';
import { ImageFolder } from './images.js';
import type { ServerConfig } from './config.js';

/** The BMC drivers (packages/power) for the power types that have one; manual, amt and virsh drive nothing. */
export const powerDrivers: PowerDrivers = {
  driverFor: (type: PowerType) => (type === 'ipmi' || type === 'redfish' || type === 'webhook' ? POWER_DRIVERS[type] : null),
};

/**
 * The use cases on an open database, with the lifecycle settings of the configuration, the images
 * folder and, for metrics, an observer of their inner workings.
 */
export function applicationFor(
  db: Database,
  config: ServerConfig,
  extra: { images?: ImageCatalog; observer?: UseCaseObserver } = {},
): Application {
  return createApplication(
    {
      uow: db.uow,
      feed: db.feed,
      power: powerDrivers,
      images: extra.images ?? new ImageFolder(config.imagesDir),
      ...(extra.observer ? { observer: extra.observer } : {}),
    },
    {
      lifecycle: {
        policy: { commissioning: config.commissioning },
        commissioningTimeoutMs: config.commissioningTimeoutMs,
        eraseDelayMs: config.eraseDelayMs,
        maxDeclared: config.maxDeclared,
      },
      power: { timeoutMs: config.powerTimeoutMs, syncConcurrency: config.powerSyncConcurrency },
      agent: {
        heartbeatSeconds: config.agentHeartbeatSeconds,
        timeoutMs: config.agentTimeoutMs,
        eraseMode: config.eraseMode,
        defaultImage: config.defaultImage,
      },
    },
  );
}
