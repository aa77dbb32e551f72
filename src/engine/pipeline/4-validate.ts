import { issuesFromAjv, sortIssues, withNonFiniteNumbers, type ValidationIssue } from '../issues.js';
import type { ParameterValidator } from '../spec/compile.js';
import type { Call } from './call.js';

/**
 * Checks the parameters and the body against the operation's schemas (compiled once), coercing
 * parameters to their types. What fails is kept as issues in the order the vendor's framework
 * reports them, field by field as the spec declares them; nothing is answered yet, as a scenario
 * may still answer for the request.
 */
export function validate(call: Call): void {
  const { operation } = call.route;
  const { incoming } = call;
  const issues = call.issues;
  call.params = validateParameters(operation.parameters.path, 'path', incoming.params, issues);
  if (operation.parameters.query) call.query = validateParameters(operation.parameters.query, 'query', incoming.queryParams(), issues);
  if (operation.parameters.header) validateParameters(operation.parameters.header, 'header', incoming.headers(), issues);
  if (call.mediaType !== undefined) {
    const validateBody = operation.bodies.get(call.mediaType);
    const schemaIssues = validateBody && !validateBody(call.body) ? issuesFromAjv('body', validateBody.errors) : [];
    issues.push(...withNonFiniteNumbers('body', call.body, schemaIssues));
  }
  if (issues.length === 0) return;
  call.issues = sortIssues(issues, operation.fieldOrder);
  call.violations.push(...call.issues.map(describeViolation));
}

/** `body.retry_config.max_retries: must be >= 0`: where, then what. */
function describeViolation(issue: ValidationIssue): string {
  const where = [issue.location, ...issue.path].join('.');
  if (issue.keyword === 'required') return `${where}: is required`;
  return `${where}: ${issue.message}`;
}

/** Validates (and coerces, in place) one location's parameters; returns them. */
function validateParameters(
  validator: ParameterValidator | undefined,
  location: 'path' | 'query' | 'header',
  raw: Readonly<Record<string, string | string[]>>,
  issues: ValidationIssue[],
): Record<string, unknown> {
  if (!validator) return {};
  const values: Record<string, unknown> = {};
  for (const name of validator.names) {
    const value = raw[name];
    if (value === undefined) continue;
    if (validator.arrays.has(name)) values[name] = Array.isArray(value) ? value : [value];
    else values[name] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  const schemaIssues = validator.validate(values) ? [] : issuesFromAjv(location, validator.validate.errors);
  issues.push(...withNonFiniteNumbers(location, values, schemaIssues));
  return values;
}
