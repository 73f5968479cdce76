// Text (an environment variable, or a string in YAML) to the type its schema leaf asks for.
// Numbers are decimal; booleans are true/false/1/0/yes/no/on/off; lists are comma-separated;
// a number key whose name ends in `Ms` also takes a duration with a unit (250ms, 30s, 5m, 1h, 1d).
import { Kind, type TSchema } from '@sinclair/typebox';

export type Coerced = { ok: true; value: unknown } | { ok: false; expected: string };

const durationUnitsMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const booleans: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

function parseNumber(text: string, integer: boolean, durationMs: boolean): number | undefined {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed)) {
    const value = Number(trimmed);
    return integer && !Number.isInteger(value) ? undefined : value;
  }
  const duration = durationMs ? /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(trimmed) : null;
  if (duration !== null) {
    const value = Number(duration[1]) * (durationUnitsMs[duration[2] as string] as number);
    return integer ? Math.round(value) : value;
  }
  return undefined;
}

/** What the leaf expects, in words for an error message. */
export function describeExpected(schema: TSchema, durationMs: boolean): string {
  switch (schema[Kind]) {
    case 'Integer':
      return durationMs ? 'a whole number of milliseconds or a duration (30s, 5m)' : 'an integer';
    case 'Number':
      return durationMs ? 'a number of milliseconds or a duration (30s, 5m)' : 'a number';
    case 'Boolean':
      return 'true or false';
    case 'Array':
      return `a comma-separated list of ${describeExpected(schema['items'] as TSchema, false)}`;
    case 'Literal':
      return JSON.stringify(schema['const']);
    case 'Union':
      return `one of ${(schema['anyOf'] as TSchema[]).map((s) => describeExpected(s, durationMs)).join(', ')}`;
    default:
      return 'a string';
  }
}

/** Reads `text` as the leaf's type; `key` is the leaf's last path segment (for the `Ms` rule). */
export function coerceText(schema: TSchema, text: string, key: string): Coerced {
  const durationMs = /Ms$/.test(key);
  const fail: Coerced = { ok: false, expected: describeExpected(schema, durationMs) };
  switch (schema[Kind]) {
    case 'Integer':
    case 'Number': {
      const value = parseNumber(text, schema[Kind] === 'Integer', durationMs);
      return value === undefined ? fail : { ok: true, value };
    }
    case 'Boolean': {
      const value = booleans[text.trim().toLowerCase()];
      return value === undefined ? fail : { ok: true, value };
    }
    case 'Array': {
      const items: unknown[] = [];
      for (const part of text
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')) {
        const item = coerceText(schema['items'] as TSchema, part, '');
        if (!item.ok) return fail;
        items.push(item.value);
      }
      return { ok: true, value: items };
    }
    case 'Literal': {
      const literal = schema['const'] as unknown;
      if (typeof literal === 'string') return { ok: true, value: text };
      return coerceText(
        { ...schema, [Kind]: typeof literal === 'number' ? 'Number' : 'Boolean' },
        text,
        key,
      );
    }
    case 'Union': {
      for (const member of schema['anyOf'] as TSchema[]) {
        const attempt = coerceText(member, text, key);
        if (attempt.ok && (member[Kind] !== 'Literal' || attempt.value === member['const'])) {
          return attempt;
        }
      }
      return fail;
    }
    default:
      return { ok: true, value: text };
  }
}

/** A YAML value: strings are read like an environment variable, other values are kept. */
export function coerceYamlValue(schema: TSchema, value: unknown, key: string): Coerced {
  if (typeof value !== 'string' || schema[Kind] === 'String') return { ok: true, value };
  return coerceText(schema, value, key);
}
