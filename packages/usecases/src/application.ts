import type { Deps, UseCaseObserver } from './deps.js';
import { NO_IMAGES, type Clock, type EventFeed, type ImageCatalog, type PowerDrivers, type UnitOfWork } from './ports/index.js';
import { NO_POWER_DRIVERS, PowerControl } from './power/power-control.js';
import { controlPower } from './power/power-node.js';
import { syncPowerStates } from './power/sync.js';
import { resolveSettings, type SettingsOverrides } from './settings.js';
import { DeclaredGauge } from './shared/declared-gauge.js';
import { HostnamePicker } from './shared/hostnames.js';
import { systemClock } from './ports/clock.js';
import { acceptNodes } from './nodes/accept.js';
import { acquireNode } from './nodes/acquire.js';
import { annotateNode } from './nodes/annotate.js';
import { deleteNode } from './nodes/delete.js';
import { enlistNode } from './nodes/enlist.js';
import { performNodeAction } from './nodes/node-action.js';
import { countNodes, getNode, listNodes } from './nodes/read.js';
import { updateNode } from './nodes/update.js';
import { reportCommissioning } from './machine/report-commissioning.js';
import { reportDeployment } from './machine/report-deployment.js';
import { reportErase } from './machine/report-erase.js';
import { lookupMachine } from './machine/lookup.js';
import { heartbeat } from './machine/heartbeat.js';
import { authorizeImageDownload, decideBoot } from './machine/boot.js';
import { listImages } from './machine/images.js';
import { sweepNodes } from './lifecycle/sweep.js';
import { authenticate } from './auth/authenticate.js';
import { bootstrapAdmin } from './auth/bootstrap-admin.js';
import { login } from './auth/login.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { createToken, listTokens, revokeToken } from './tokens/tokens.js';
import { createUser, deleteUser, findUser, listUsers, provisionUser, updateUser } from './users/users.js';
import { createLabel, deleteLabel, listLabels, updateLabel } from './labels/labels.js';
import { listEvents, subscribeToEvents } from './events/events.js';

export interface Adapters {
  uow: UnitOfWork;
  feed: EventFeed;
  clock?: Clock;
  /** The BMC drivers by power type (none: every node is treated as manual). */
  power?: PowerDrivers;
  /** The disk images deployments write (none: an empty catalog). */
  images?: ImageCatalog;
  /** Told about the use cases' inner workings, for metrics (none: nobody listens). */
  observer?: UseCaseObserver;
}

/**
 * Every use case of Metalyard, bound to the adapters (storage, the event feed, the clock) and the
 * settings. The API calls these and nothing below them; so do the server's management command and
 * its sweeper.
 */
export function createApplication(adapters: Adapters, overrides: SettingsOverrides = {}) {
  const settings = resolveSettings(overrides);
  const deps = {
    uow: adapters.uow,
    feed: adapters.feed,
    clock: adapters.clock ?? systemClock,
    settings,
    declared: new DeclaredGauge(),
    hostnames: new HostnamePicker(),
    images: adapters.images ?? NO_IMAGES,
    observer: adapters.observer ?? {},
  } as Deps;
  deps.power = new PowerControl(deps, adapters.power ?? NO_POWER_DRIVERS);
  const throttle = new LoginThrottle(
    {
      maxFailures: settings.auth.maxFailedLogins,
      maxFailuresPerClient: settings.auth.maxFailedLoginsPerClient,
      windowMs: settings.auth.failedLoginWindowMs,
    },
    deps.clock,
  );
  return {
    settings,
    clock: deps.clock,
    nodes: {
      enlist: enlistNode(deps),
      get: getNode(deps),
      list: listNodes(deps),
      counts: countNodes(deps),
      accept: acceptNodes(deps),
      acquire: acquireNode(deps),
      act: performNodeAction(deps),
      update: updateNode(deps),
      annotate: annotateNode(deps),
      delete: deleteNode(deps),
    },
    power: {
      control: controlPower(deps, deps.power),
      sync: syncPowerStates(deps, deps.power),
    },
    machine: {
      reportCommissioning: reportCommissioning(deps),
      reportDeployment: reportDeployment(deps),
      reportErase: reportErase(deps),
      lookup: lookupMachine(deps),
      heartbeat: heartbeat(deps),
    },
    boot: {
      decide: decideBoot(deps),
      authorizeImage: authorizeImageDownload(deps),
    },
    images: {
      list: listImages(deps),
    },
    sweep: sweepNodes(deps),
    auth: {
      authenticate: authenticate(deps),
      login: login(deps, throttle),
      bootstrapAdmin: bootstrapAdmin(deps),
    },
    users: {
      list: listUsers(deps),
      find: findUser(deps),
      create: createUser(deps),
      update: updateUser(deps),
      delete: deleteUser(deps),
      provision: provisionUser(deps),
    },
    tokens: {
      list: listTokens(deps),
      create: createToken(deps),
      revoke: revokeToken(deps),
    },
    labels: {
      list: listLabels(deps),
      create: createLabel(deps),
      update: updateLabel(deps),
      delete: deleteLabel(deps),
    },
    events: {
      list: listEvents(deps),
      subscribe: subscribeToEvents(deps),
      get subscribers() {
        return deps.feed.size;
      },
    },
  };
}

export type Application = ReturnType<typeof createApplication>;
