import type { ContractReport, OperationResult, StepResult } from './runner.js';

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

/**
 * The report a person reads: one line per operation, and under a failed one each failed step,
 * its request and the difference between what came back and what the spec (or the step)
 * allows, as `- spec:` / `+ got:` lines. With `verbose`, every step.
 *
 * @example
 * process.stdout.write(formatReport(report));
 * // ✗ getCampaign  GET /v1/campaigns/{id}
 * //     reads a campaign: GET /v1/campaigns/cmp_… → 200
 * //       body.status is not one of the values the spec allows
 * //         - spec: "active" | "running" | "paused" | "completed" | "cancelled"
 * //         + got:  "bogus"
 */
export function formatReport(report: ContractReport, { verbose = false } = {}): string {
  const lines = [`${report.title} contract at ${report.baseUrl} (specs/${report.specFile}), ${report.write ? 'with writes' : 'read-only'}`];
  const width = Math.max(...report.operations.map((op) => op.operationId.length));
  for (const op of report.operations) {
    lines.push(`  ${MARK[op.outcome]} ${op.operationId.padEnd(width)}  ${op.method} ${op.path}${summary(op)}`);
    for (const step of op.steps) {
      if (step.outcome === 'failed') lines.push(...failedStep(step));
      else if (verbose && step.outcome === 'passed') lines.push(`      ${MARK.passed} ${step.does}: ${step.request}`);
      else if (verbose && op.outcome !== 'skipped') lines.push(`      ${MARK.skipped} ${step.does}: skipped, ${step.reason}`);
    }
  }
  const { passed, failed, skipped } = report.counts;
  lines.push(`${report.operations.length} operations: ${passed} passed, ${failed} failed, ${skipped} skipped (${report.requests} requests)`);
  return `${lines.join('\n')}\n`;
}

function summary(op: OperationResult): string {
  const reasons = [...new Set(op.steps.flatMap((s) => s.reason?.split('; ') ?? []))].join('; ');
  if (op.outcome === 'skipped') return `  skipped: ${reasons || 'no step ran'}`;
  const ran = op.steps.filter((s) => s.outcome !== 'skipped');
  const failed = ran.filter((s) => s.outcome === 'failed').length;
  const checks = failed > 0 ? `  ${failed} of ${ran.length} checks failed` : `  ${ran.length} ${ran.length === 1 ? 'check' : 'checks'}`;
  const skips = op.steps.length - ran.length;
  return skips > 0 ? `${checks}, ${skips} skipped (${reasons})` : checks;
}

function failedStep(step: StepResult): string[] {
  const lines = [`      ${step.does}: ${step.request ?? ''}`];
  for (const m of step.mismatches) {
    lines.push(`        ${m.where} ${m.message}`);
    if (m.spec !== undefined) lines.push(`          - spec: ${m.spec}`);
    if (m.got !== undefined) lines.push(`          + got:  ${m.got}`);
  }
  if (step.body !== undefined && step.body !== '') lines.push(`        came back: ${step.body}`);
  return lines;
}
