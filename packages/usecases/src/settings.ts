import { DEFAULT_POLICY, type LifecyclePolicy } from '@metalyard/domain';

/** How the lifecycle behaves: the server reads these from its configuration. */
export interface LifecycleSettings {
  policy: LifecyclePolicy;
  /** How long a node may stay in commissioning without reporting. */
  commissioningTimeoutMs: number;
  /** How long the (simulated) erase of a release takes; 0 finishes the release within the call. */
  eraseDelayMs: number;
  /** At most this many nodes may wait in declared; beyond it anonymous enlistment is refused. */
  maxDeclared: number;
}

export interface AuthSettings {
  /** How long a session from `auth.login` lasts. */
  sessionLifetimeMs: number;
  /** Failed logins allowed for one username from one client address within the window. */
  maxFailedLogins: number;
  /** Failed logins allowed from one client address, for any usernames, within the window. */
  maxFailedLoginsPerClient: number;
  failedLoginWindowMs: number;
}

export interface PowerSettings {
  /** One BMC call at most this long, each attempt. */
  timeoutMs: number;
  /** Attempts for a call that may pass on a retry (no answer, a garbled one). */
  attempts: number;
  /** The periodic power-state sync asks at most this many BMCs at once. */
  syncConcurrency: number;
}

/** The machine agent (apps/agent) and the network boot. */
export interface AgentSettings {
  /** How often the agent heartbeats (machine.lookup tells it). */
  heartbeatSeconds: number;
  /** A node whose agent has not been heard for this long fails its step (the sweeper). */
  timeoutMs: number;
  /** How the agent erases a released machine's disks: quick (partition tables and signatures) or full. */
  eraseMode: EraseMode;
  /** The image a deployment writes when the caller names none; null: the first image by name. */
  defaultImage: string | null;
}
export type EraseMode = 'quick' | 'full';

export interface Settings {
  lifecycle: LifecycleSettings;
  auth: AuthSettings;
  power: PowerSettings;
  agent: AgentSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  lifecycle: { policy: DEFAULT_POLICY, commissioningTimeoutMs: 30 * 60_000, eraseDelayMs: 0, maxDeclared: 10_000 },
  auth: { sessionLifetimeMs: 12 * 60 * 60_000, maxFailedLogins: 5, maxFailedLoginsPerClient: 20, failedLoginWindowMs: 15 * 60_000 },
  power: { timeoutMs: 20_000, attempts: 3, syncConcurrency: 8 },
  agent: { heartbeatSeconds: 10, timeoutMs: 5 * 60_000, eraseMode: 'quick', defaultImage: null },
};

export interface SettingsOverrides {
  lifecycle?: Partial<LifecycleSettings>;
  auth?: Partial<AuthSettings>;
  power?: Partial<PowerSettings>;
  agent?: Partial<AgentSettings>;
}

export function resolveSettings(overrides: SettingsOverrides = {}): Settings {
  return {
    lifecycle: { ...DEFAULT_SETTINGS.lifecycle, ...overrides.lifecycle },
    auth: { ...DEFAULT_SETTINGS.auth, ...overrides.auth },
    power: { ...DEFAULT_SETTINGS.power, ...overrides.power },
    agent: { ...DEFAULT_SETTINGS.agent, ...overrides.agent },
  };
}
