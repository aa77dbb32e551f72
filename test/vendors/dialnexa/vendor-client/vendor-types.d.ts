/**
 * The types openapi-typescript generates from DialNexa's published batch-calls OpenAPI (the batch-calls OpenAPI).
 * generate.ts writes them into `generated/` (git-ignored: the vendor's file carries no license)
 * as a second declaration of this module, which adds `paths` to `Generated`. Until then
 * `Generated` is empty and client.ts falls back to loose types, so the project type-checks on a
 * fresh clone; once they are generated, `tsc` checks client.ts against the vendor's contract.
 */
declare module 'dialnexa-batch-calls-openapi' {
  // Merged with the generated declaration, when there is one.
  export interface Generated {}
}
