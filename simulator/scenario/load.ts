/** Resolves a scenario (shipped name, file path or object), validates it and explains what is wrong. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ScenarioError } from './errors';
import { ScenarioSchema } from './schema';
import type { Scenario, ScenarioInput } from './schema';
import demo from '../scenarios/demo.json' with { type: 'json' };
import edge from '../scenarios/edge.json' with { type: 'json' };
import scale from '../scenarios/scale.json' with { type: 'json' };

export { ScenarioError };

/** Shipped scenarios, imported statically so they survive bundling. */
export const SHIPPED_SCENARIOS: Readonly<Record<string, unknown>> = { demo, edge, scale };

/** "scenario drives[2].tree.common[0].size" */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out ? `scenario ${out}` : 'scenario';
}

function cleanMessage(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
}

/** Flattens zod issues to "scenario drives[2].tree.common[0].size: expected number, received string". */
export function formatIssues(issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[] = []): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: the one whose issues are not a plain type mismatch at its root.
      const branches = issue.errors.filter(
        (b) => !(b.length === 1 && b[0]?.code === 'invalid_type' && b[0].path.length === 0),
      );
      const best = branches[0];
      if (best) {
        out.push(...formatIssues(best, path));
        continue;
      }
      const expected = issue.errors
        .map((b) => (b[0]?.code === 'invalid_type' ? b[0].expected : undefined))
        .filter((e): e is NonNullable<typeof e> => e !== undefined);
      out.push(`${formatPath(path)}: expected ${expected.join(' or ') || 'a different value'}`);
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      out.push(`${formatPath(path)}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`);
      continue;
    }
    out.push(`${formatPath(path)}: ${cleanMessage(issue.message)}`);
  }
  return out;
}

export function validateScenario(input: unknown, source = 'scenario'): Scenario {
  const result = ScenarioSchema.safeParse(input);
  if (!result.success) {
    throw new ScenarioError(`Invalid ${source}:`, formatIssues(result.error.issues));
  }
  return result.data;
}

/** A shipped name ("demo", "edge", "scale"), a path to a JSON file, or a scenario object. */
export function loadScenario(scenario: string | ScenarioInput): Scenario {
  if (typeof scenario !== 'string') return validateScenario(scenario);
  const shipped = SHIPPED_SCENARIOS[scenario];
  if (shipped !== undefined) return validateScenario(shipped, `shipped scenario "${scenario}"`);
  let text: string;
  try {
    text = readFileSync(scenario, 'utf8');
  } catch (error) {
    const known = Object.keys(SHIPPED_SCENARIOS).join(', ');
    throw new ScenarioError(
      `Unknown scenario "${scenario}": not one of ${known} and not a readable file (${(error as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`Scenario file ${scenario} is not valid JSON: ${(error as Error).message}`);
  }
  return validateScenario(json, `scenario file ${scenario}`);
}
