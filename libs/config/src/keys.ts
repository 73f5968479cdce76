// The schema's leaves and their names: `bus.requestTimeoutMs` ↔ `SIPWAKE_BUS_REQUEST_TIMEOUT_MS`.
// Each key path segment is written in upper snake case and the segments are joined with `_`.
import { Kind, OptionalKind, type TObject, type TSchema } from '@sinclair/typebox';
import { ConfigError } from './errors.js';

export interface ConfigLeaf {
  /** The key path in the schema and in YAML: `['bus', 'url']`. */
  readonly path: readonly string[];
  /** The dotted key: `bus.url`. */
  readonly key: string;
  /** The environment variable: `SIPWAKE_BUS_URL`. */
  readonly envName: string;
  readonly schema: TSchema;
  readonly optional: boolean;
}

/** `requestTimeoutMs` → `REQUEST_TIMEOUT_MS`. */
export function toEnvSegment(segment: string): string {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

export function isObjectSchema(schema: TSchema): schema is TObject {
  return schema[Kind] === 'Object';
}

/** Every leaf of the schema, depth first in declaration order; nested objects are not leaves. */
export function configLeaves(schema: TObject, prefix: string): readonly ConfigLeaf[] {
  const leaves: ConfigLeaf[] = [];
  const byEnv = new Map<string, string>();
  const walk = (object: TObject, path: readonly string[]): void => {
    for (const [name, child] of Object.entries(object.properties)) {
      const childPath = [...path, name];
      if (isObjectSchema(child)) {
        walk(child, childPath);
        continue;
      }
      const key = childPath.join('.');
      const envName = prefix + childPath.map(toEnvSegment).join('_');
      const clash = byEnv.get(envName);
      if (clash !== undefined) {
        throw new ConfigError(
          'CONFIG_SCHEMA_INVALID',
          envName,
          `${envName}: keys ${clash} and ${key} share one variable name`,
        );
      }
      byEnv.set(envName, key);
      leaves.push({
        path: childPath,
        key,
        envName,
        schema: child,
        optional: child[OptionalKind] === 'Optional',
      });
    }
  };
  walk(schema, []);
  return leaves;
}
