/**
 * The registry of model families: `--model NAME` looks a family up here. Each module under
 * this folder is one family and reads like its paper's algorithm box.
 */
import { registerMetrics } from '@gen-eval/metrics';
import type { FamilyDefinition } from '../family.js';
import { cgan } from './cgan.js';
import { cyclegan } from './cyclegan.js';
import { ddpm } from './ddpm.js';
import { flow } from './flow.js';
import { gan } from './gan.js';
import { ganCls } from './gan-cls.js';
import { infogan } from './infogan.js';
import { nsGan } from './ns-gan.js';
import { pix2pix } from './pix2pix.js';
import { sngan } from './sngan.js';
import { srgan } from './srgan.js';
import { stackgan } from './stackgan.js';
import { vae } from './vae.js';
import { wgan } from './wgan.js';
import { wganGp } from './wgan-gp.js';

/** Every family, in listing order. */
export const FAMILIES: readonly FamilyDefinition[] = [gan, nsGan, wgan, wganGp, sngan, vae, ddpm, flow, cgan, infogan, cyclegan, pix2pix, srgan, ganCls, stackgan];

// Every family's loss keys join the metric table as soon as the families are loaded.
for (const f of FAMILIES) registerMetrics(f.metrics);

/** The family called `name`, or undefined. */
export function findFamily(name: string): FamilyDefinition | undefined {
  return FAMILIES.find((f) => f.name === name);
}
