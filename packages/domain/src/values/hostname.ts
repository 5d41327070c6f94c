const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** RFC 1123: dot-separated labels of letters, digits and hyphens (not at either end), ≤ 63 each, ≤ 253 in all. */
export function hostnameProblem(hostname: string): string | null {
  if (hostname.length === 0) return 'must not be empty';
  if (hostname.length > 253) return 'must be at most 253 characters';
  for (const label of hostname.split('.')) {
    if (label.length === 0) return 'must not have an empty label';
    if (label.length > 63) return `label '${label.slice(0, 20)}…' is longer than 63 characters`;
    if (!LABEL.test(label)) return `label '${label}' may hold only letters, digits and inner hyphens`;
  }
  return null;
}

const ADJECTIVES = [
  'able',
  'amber',
  'brave',
  'bright',
  'calm',
  'clever',
  'cosmic',
  'crisp',
  'daring',
  'eager',
  'fair',
  'fast',
  'fond',
  'gentle',
  'glad',
  'golden',
  'grand',
  'happy',
  'hardy',
  'humble',
  'jolly',
  'keen',
  'kind',
  'lively',
  'loyal',
  'lucid',
  'merry',
  'mighty',
  'nimble',
  'noble',
  'proud',
  'quick',
  'quiet',
  'rapid',
  'ready',
  'robust',
  'sharp',
  'shiny',
  'smart',
  'snug',
  'solid',
  'stable',
  'steady',
  'still',
  'sunny',
  'swift',
  'tidy',
  'vast',
  'vivid',
  'witty',
];
const NOUNS = [
  'anvil',
  'badger',
  'beacon',
  'bison',
  'cedar',
  'comet',
  'condor',
  'coral',
  'crane',
  'delta',
  'eagle',
  'ember',
  'falcon',
  'fjord',
  'forge',
  'garnet',
  'glacier',
  'harbor',
  'heron',
  'ibex',
  'jaguar',
  'kestrel',
  'lark',
  'lynx',
  'magpie',
  'maple',
  'marten',
  'meadow',
  'mesa',
  'moose',
  'nebula',
  'otter',
  'owl',
  'panda',
  'pebble',
  'pine',
  'quartz',
  'raven',
  'reef',
  'ridge',
  'robin',
  'sable',
  'salmon',
  'sparrow',
  'spruce',
  'summit',
  'tern',
  'tundra',
  'walrus',
  'yak',
];

/** A readable hostname such as `swift-otter`; with `suffix`, `swift-otter-3`. */
export function generateHostname(random: () => number = Math.random, suffix?: number): string {
  const pick = (words: string[]) => words[Math.floor(random() * words.length)]!;
  const base = `${pick(ADJECTIVES)}-${pick(NOUNS)}`;
  return suffix === undefined ? base : `${base}-${suffix}`;
}
