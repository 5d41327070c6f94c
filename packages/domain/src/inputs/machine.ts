import { z } from 'zod';
import { AGENT_STEPS } from '../lifecycle/effects.js';
import { macAddressSchema, systemIdSchema, text } from './common.js';
import { MAX_MACS_PER_NODE } from './nodes.js';

/** What commissioning finds on a machine. */
export const hardwareSchema = z.strictObject({
  cpuCount: z.number().int('must be a whole number').min(1, 'must be at least 1').max(65_536),
  memoryMb: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1 << 30),
  /** The CPU's model name (`model name` in /proc/cpuinfo), where the machine says. */
  cpuModel: text(256).optional(),
  storage: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(64),
        sizeGb: z.number().nonnegative().max(1e9),
        sizeBytes: z.number().int('must be a whole number').nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
        model: text(256).optional(),
        serial: text(256).optional(),
      }),
    )
    .max(256)
    .default([]),
  nics: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(64),
        mac: macAddressSchema,
        link: z.enum(['up', 'down'], { error: "must be 'up' or 'down'" }).optional(),
        speedMbps: z.number().int().nonnegative().optional(),
      }),
    )
    .max(MAX_MACS_PER_NODE)
    .default([]),
});
export type Hardware = z.output<typeof hardwareSchema>;

const resultSchema = z.enum(['passed', 'failed'], { error: "must be 'passed' or 'failed'" });

export const commissioningReportSchema = z
  .strictObject({
    systemId: systemIdSchema,
    result: resultSchema,
    hardware: hardwareSchema.optional(),
    tests: z
      .array(z.strictObject({ name: text(128).pipe(z.string().min(1)), passed: z.boolean(), output: text(8192).optional() }))
      .max(256)
      .default([]),
    reason: text(2000).optional(),
  })
  .superRefine((report, ctx) => {
    if (report.result === 'passed' && !report.hardware) {
      ctx.addIssue({ code: 'custom', path: ['hardware'], message: 'a passing report must include the hardware' });
    }
    if (report.result === 'passed' && report.tests.some((test) => !test.passed)) {
      ctx.addIssue({ code: 'custom', path: ['tests'], message: 'a passing report cannot hold failing tests' });
    }
  });
export type CommissioningReport = z.output<typeof commissioningReportSchema>;

export const deploymentReportSchema = z.strictObject({
  systemId: systemIdSchema,
  result: resultSchema,
  reason: text(2000).optional(),
});
export type DeploymentReport = z.output<typeof deploymentReportSchema>;

/** The machine agent asks what to do, by its MACs (the booting one first). */
export const lookupInputSchema = z.strictObject({
  macAddresses: z.array(macAddressSchema).min(1, 'at least one MAC address').max(MAX_MACS_PER_NODE),
});
export type LookupInput = z.output<typeof lookupInputSchema>;

export const agentStepSchema = z.enum(AGENT_STEPS, { error: () => `must be one of ${AGENT_STEPS.join(', ')}` });

/** The agent's progress: at each phase change, and periodically with the current phase. */
export const heartbeatInputSchema = z.strictObject({
  systemId: systemIdSchema,
  step: agentStepSchema,
  message: text(500).default(''),
});
export type HeartbeatInput = z.output<typeof heartbeatInputSchema>;

/** The agent's erase report, at the end of a release. */
export const eraseReportSchema = z.strictObject({
  systemId: systemIdSchema,
  result: resultSchema,
  reason: text(2000).optional(),
});
export type EraseReport = z.output<typeof eraseReportSchema>;
