/**
 * Decides what happens to one pacman command line on this system: the model,
 * which system it acts on, the probed state, the policy. Shared by
 * `guard check` and the shim's slow path. Probes only what the decision needs.
 */
import { parsePacmanCommand, type PacmanCommand } from '../pacman/model.js';
import { PACMAN_VARIANTS, type PacmanVariant } from '../pacman/options.js';
import { ON_HOST, actsOnHost, effectOfPlainLine, hostEffect, locate, unionEffect, type HostEffect } from '../pacman/location.js';
import { decide, type Engagement, type PolicyMode, type Verdict } from '../policy/decide.js';
import { describeError } from '../errors.js';
import { readPacmanConfig, type PacmanConfig } from '../system/pacman-conf.js';
import { detectPacmanVariants } from '../system/pacman-version.js';
import { systemLocationLookup } from '../system/path-lookup.js';
import { engagementOf, probeSystem, type SystemState } from '../system/probe.js';

export interface Judgement {
  /** The reading that decided: the one that takes the lock if any considered variant's does. */
  readonly command: PacmanCommand;
  /** The pacman variants the line was parsed for: those the installed pacman may be, or all when that is unknown or was not asked. */
  readonly variants: readonly PacmanVariant[];
  /** Whether the installed pacman was asked for its version (the shim skips that when every variant agrees). */
  readonly detected: boolean;
  /** Whether it touches this system at all: `actsOnHost(effect)`. */
  readonly actsOnHost: boolean;
  readonly effect: HostEffect;
  readonly state?: SystemState;
  readonly engagement?: Engagement;
  readonly verdict: Verdict;
}

export interface JudgeOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly policy: PolicyMode;
  /** The real pacman, asked for its version. */
  readonly realPacman: string;
  /** `when-needed` (the shim's hot path) asks pacman only when releases parse the line differently. */
  readonly detectVersion?: 'always' | 'when-needed';
}

/**
 * Parses for every variant the installed pacman may be and takes the reading
 * that locks if any does (fail closed): `pacman --version` cannot tell the
 * 7.1.0 tag from a build with 2df7c407, and they disagree on `--disable-s`.
 */
export function parseForVariants(args: readonly string[], variants: readonly PacmanVariant[], env: NodeJS.ProcessEnv): PacmanCommand {
  // No candidate is no knowledge: every variant, as for an unknown version.
  return deciding(readings(args, variants.length > 0 ? variants : PACMAN_VARIANTS, env));
}

function readings(args: readonly string[], variants: readonly PacmanVariant[], env: NodeJS.ProcessEnv): PacmanCommand[] {
  const posixlyCorrect = env.POSIXLY_CORRECT !== undefined;
  return variants.map((variant) => parsePacmanCommand(args, { variant, posixlyCorrect }));
}

/** The reading that decides: the one that takes the lock if any does (fail closed). */
const deciding = (parsed: readonly PacmanCommand[]): PacmanCommand => parsed.find((command) => command.needsLock) ?? parsed.at(-1)!;

function readingsAgree(parsed: readonly PacmanCommand[]): boolean {
  const verdicts = new Set(parsed.map((command) => `${command.outcome}/${command.needsLock}/${command.rejection?.message ?? ''}`));
  return verdicts.size === 1;
}

const namesNoPath = (paths: PacmanCommand['paths']) =>
  paths.root === undefined && paths.dbPath === undefined && paths.config === undefined && paths.sysroot === undefined;

/**
 * What the command does to this system's database and root, as each pacman
 * variant it may be reads its --sysroot, --root, --dbpath and --config
 * (src/pacman/location.ts); the union when it may be several (fail closed).
 * Throws when this system's own database or root cannot be resolved.
 */
export async function effectOnHost(
  command: Pick<PacmanCommand, 'paths' | 'changesFiles' | 'writesDatabase' | 'needsLock'>,
  variants: readonly PacmanVariant[],
  host: PacmanConfig,
  cwd: string = process.cwd(),
): Promise<HostEffect> {
  if (namesNoPath(command.paths)) return effectOfPlainLine(command);
  const root = systemLocationLookup.realpath(host.rootDir, { root: '/', cwd: '/' }, true);
  const database = systemLocationLookup.realpath(host.dbPath, { root: '/', cwd: '/' }, true);
  if (root === undefined || database === undefined) throw new Error(`this system's root ${host.rootDir} or database ${host.dbPath} is not a directory`);
  const hostLocation = { kind: 'reached', root, database, within: '/' } as const;
  const effects = await Promise.all((variants.length > 0 ? variants : PACMAN_VARIANTS).map(async (variant) =>
    hostEffect(command, await locate(command, variant, cwd, systemLocationLookup), hostLocation, systemLocationLookup)));
  return unionEffect(effects);
}

export async function judge(args: readonly string[], options: JudgeOptions): Promise<Judgement> {
  // Ask pacman for its version only when the variants disagree about this command line;
  // when they agree, the readings that showed it are the ones parseForVariants would make again.
  // A line that names a root, database, config or sysroot is asked about too: the builds find those differently.
  const everyReading = options.detectVersion === 'when-needed' ? readings(args, PACMAN_VARIANTS, options.env) : undefined;
  const skipDetection = everyReading !== undefined && readingsAgree(everyReading)
    && (!deciding(everyReading).needsLock || namesNoPath(deciding(everyReading).paths));
  const detectedVariants = skipDetection ? undefined : await detectPacmanVariants(options.realPacman);
  const variants = detectedVariants ?? PACMAN_VARIANTS;
  const command = everyReading && skipDetection ? deciding(everyReading) : parseForVariants(args, variants, options.env);
  const variantPart = { variants, detected: detectedVariants !== undefined };
  const unknown = (reason: string): Engagement => ({ known: false, reason });
  const onHost = { actsOnHost: true, effect: ON_HOST } as const;

  if (command.outcome !== 'run' || !command.needsLock) {
    return { command, ...variantPart, ...onHost, verdict: decide(command, ON_HOST, unknown('not probed'), options.policy) };
  }
  let host: PacmanConfig;
  try {
    host = await readPacmanConfig();
  } catch (error) {
    const engagement = unknown(describeError(error));
    return { command, ...variantPart, ...onHost, engagement, verdict: decide(command, ON_HOST, engagement, options.policy) };
  }
  let effect: HostEffect;
  try {
    effect = await effectOnHost(command, variants, host);
  } catch (error) {
    // Cannot tell which system it acts on: treat it as this one.
    const engagement = unknown(`cannot resolve the command's root and database: ${describeError(error)}`);
    return { command, ...variantPart, ...onHost, engagement, verdict: decide(command, ON_HOST, engagement, options.policy) };
  }
  if (!actsOnHost(effect)) {
    return { command, ...variantPart, actsOnHost: false, effect, verdict: decide(command, effect, unknown('not probed'), options.policy) };
  }
  const state = await probeSystem({ dbPath: host.dbPath, skipTransaction: true });
  const engagement = engagementOf(state);
  return { command, ...variantPart, actsOnHost: true, effect, state, engagement, verdict: decide(command, effect, engagement, options.policy) };
}
