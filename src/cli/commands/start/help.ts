import {
  formatConfigValue,
  kindOf,
  type ConfigMapping,
  type ConfigSections,
} from '../../../foundation/config/index.js';
import { REDACTED } from '../../../foundation/log/index.js';

const WIDTH = 120;

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/)) {
    if (line.length > indent.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent;
    }
    line += line.length > indent.length ? ` ${word}` : word;
  }
  if (line.length > indent.length) lines.push(line);
  return lines;
}

function defaultText(m: ConfigMapping<unknown>): string | undefined {
  if (m.secret && m.default !== undefined) return REDACTED;
  if (m.defaultText !== undefined) return m.defaultText;
  if (m.default === undefined) return undefined;
  const text = formatConfigValue(m.default);
  return text === '' ? '(empty)' : text;
}

/** The help entry of one setting: flag(s), env var(s) and default on the first line, description below. */
export function renderMappingHelp(m: ConfigMapping<unknown>): string[] {
  const flags = [m.flag, ...(m.aliases ?? [])].join(', ');
  const head = [`  ${flags}${kindOf(m) === 'flag' ? '' : ` ${m.parse.placeholder}`}`];
  if (m.env !== undefined) {
    const aliases = m.envAliases?.length ? ` (or ${m.envAliases.join(', ')})` : '';
    head.push(`[env: ${m.env}${aliases}]`);
  }
  const dflt = defaultText(m);
  if (dflt !== undefined) head.push(`[default: ${dflt}]`);
  return [head.join('  '), ...wrap(`${m.description}${m.secret ? ' (secret)' : ''}`, '      ')];
}

/** Help of a command whose options are generated from config declarations. */
export interface HelpSpec {
  usage: string;
  summary: string;
  sections: ConfigSections;
  networks: readonly string[];
}

/** Renders a command's help: usage, summary, known networks, then one block per section. */
export function renderHelp(spec: HelpSpec): string {
  const intro = [
    spec.usage,
    '',
    ...wrap(spec.summary, ''),
    ...wrap(
      'Every setting can also be given by its environment variable; precedence: flag > environment variable > ' +
        'network preset (--network) > default. A boolean flag given alone means true; booleans accept ' +
        'true/false, 1/0, yes/no. An empty value counts as not given.',
      '',
    ),
    '',
    `Known networks: ${spec.networks.join(', ')}`,
  ];
  const body = Object.values(spec.sections).flatMap(section => [
    '',
    `${section.title}:`,
    ...Object.values(section.mappings).flatMap(renderMappingHelp),
  ]);
  return [...intro, ...body, '', '  -h, --help', '      Shows this help.', ''].join('\n');
}

/**
 * `aztec start --help`, generated from the declarations: one section per module, each setting with its flag,
 * environment variable, default (never a secret's value) and description.
 */
export function renderStartHelp(sections: ConfigSections, networks: readonly string[]): string {
  return renderHelp({
    usage: 'Usage: aztec start [options]',
    summary: 'Starts the modules chosen by the flags below.',
    sections,
    networks,
  });
}
