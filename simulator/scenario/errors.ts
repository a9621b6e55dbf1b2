/** A scenario that cannot be used; `issues` lists each problem with its JSON path. */
export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length ? `${message}\n${issues.map((i) => `  - ${i}`).join('\n')}` : message);
    this.name = 'ScenarioError';
  }
}
