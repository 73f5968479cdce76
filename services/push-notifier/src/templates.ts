// The words of alert pushes, per app and push type: a small JSON map an operator may supply
// (`templates.file`), read once at start-up. Only text and a few named placeholders — {caller},
// {callerUri}, {host}, {type} — substituted by plain replacement: no expressions, nothing that
// runs. An unknown placeholder or a malformed file stops start-up.
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { PushType } from '@sipwake/contracts';
import { PushError, PushErrorCode } from './errors.js';

const Text = Type.String({ maxLength: 256 });
const Alert = Type.Object({ title: Text, body: Text }, { additionalProperties: false });
const PerType = Type.Partial(
  Type.Object(Object.fromEntries(Object.values(PushType).map((t) => [t, Alert]))),
  { additionalProperties: false },
);
/** `{ "<appId>" | "*": { "<push type>": { "title": "…", "body": "…" } } }` */
export const TemplatesSchema = Type.Record(Type.String({ minLength: 1, maxLength: 256 }), PerType);
export type Templates = Static<typeof TemplatesSchema>;

export interface AlertText {
  readonly title: string;
  readonly body: string;
}

export const placeholders = ['caller', 'callerUri', 'host', 'type'] as const;
export type Placeholder = (typeof placeholders)[number];

/** The words used when no template names the app or the type. */
export const defaultTemplates: Readonly<Record<PushType, AlertText>> = {
  call: { title: 'Incoming call', body: '{caller}' },
  message: { title: 'New message', body: '{caller}' },
  warning: { title: 'Account needs attention', body: 'Open the app to keep receiving calls' },
  'missed-call': { title: 'Missed call', body: '{caller}' },
  'answered-elsewhere': { title: 'Call answered elsewhere', body: '{caller}' },
  expired: { title: 'Calls paused', body: 'Open the app to receive calls again' },
};

function checkPlaceholders(templates: Templates, file: string): void {
  for (const [app, types] of Object.entries(templates)) {
    for (const [type, alert] of Object.entries(types)) {
      for (const text of [alert?.title ?? '', alert?.body ?? '']) {
        for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
          if (!(placeholders as readonly string[]).includes(match[1] as string)) {
            throw new PushError(
              PushErrorCode.TemplatesInvalid,
              `templates.file: ${file}: ${app}.${type} names an unknown placeholder {${String(match[1]).slice(0, 32)}}`,
              { key: 'templates.file' },
            );
          }
        }
      }
    }
  }
}

/** Checks a templates value (from the file or a test). */
export function checkTemplates(value: unknown, file = '(inline)'): Templates {
  if (!Value.Check(TemplatesSchema, value)) {
    const first = Value.Errors(TemplatesSchema, value).First();
    throw new PushError(
      PushErrorCode.TemplatesInvalid,
      `templates.file: ${file}: ${first?.path || '(top)'} ${first?.message ?? 'invalid'}`,
      { key: 'templates.file' },
    );
  }
  checkPlaceholders(value, file);
  return value;
}

export function readTemplates(file: string): Templates {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new PushError(
      PushErrorCode.TemplatesInvalid,
      `templates.file: ${file} cannot be read as JSON`,
      { key: 'templates.file', cause },
    );
  }
  return checkTemplates(value, file);
}

/** The alert text for one app and type: the app's template, the `*` template, or the default. */
export function renderAlert(
  templates: Templates,
  appId: string,
  type: PushType,
  values: Readonly<Record<Placeholder, string>>,
): AlertText {
  const template = templates[appId]?.[type] ?? templates['*']?.[type] ?? defaultTemplates[type];
  const fill = (text: string): string =>
    text.replace(/\{(caller|callerUri|host|type)\}/g, (_, name: Placeholder) => values[name]);
  return { title: fill(template.title), body: fill(template.body) };
}
