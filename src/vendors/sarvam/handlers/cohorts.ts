import { isUtf8 } from 'node:buffer';
import { ReplyError } from '../../../engine/reply.js';
import type { AnyHandler, PreparedHandler, RequestContext, VendorEnvironment } from '../../../engine/vendor.js';
import { valueError } from '../../../frameworks/fastapi/index.js';
import { randomId } from '../../../store/ids.js';
import { WRITTEN_AT_ONCE } from '../../../store/imports.js';
import { notFound } from '../errors.js';
import { DEFAULT_TRANSFORMATION, readCohortCsv, readTransformation, type CohortRecords, type CohortTransformation, type CohortUser } from '../cohort-records.js';
import { readCohortSource } from '../cohort-source.js';
import { queueCohortUsers, unqueueCohortUsers } from '../dialer.js';
import { offsetPage } from '../pages.js';
import { toCohortPhone } from '../phone.js';
import { presentCohort } from '../present.js';
import { assertAcceptsCohorts } from '../rules.js';
import type { CampaignRow, CohortRow, CohortSource, CohortUserRow, SarvamStore } from '../store.js';
import { enterWorkspace, findCampaign, type WorkspaceRequest } from '../workspace.js';

interface CreateCohortBody {
  name: string;
  source: { url: string };
  cohort_transformation?: Record<string, { column_name: string }>;
}

interface StreamUserBody {
  user_phone_number: string;
  user_identifier?: string | null;
  app_variables?: Record<string, unknown> | null;
  app_overrides?: Record<string, string | null> | null;
}

interface StreamCohortBody {
  name: string;
  users: StreamUserBody[];
}

/** What processing a cohort's source came to: its records, or why it failed (Sarvam's cohort pages: `failed`). */
type CohortOutcome = CohortRecords | { failure: string };

/**
 * A processed cohort's rows: the cohort and its valid users, in file order. Sarvam processes
 * cohorts asynchronously (Sarvam's cohort pages and "Stream Cohort" page); the mock finishes
 * first, so the cohort is `completed` (its users join the campaign at once) or `failed`.
 */
function cohortRows(
  at: WorkspaceRequest,
  campaign: CampaignRow,
  name: string,
  source: CohortSource,
  outcome: CohortOutcome,
): { cohort: CohortRow; userRow: (user: CohortUser, position: number) => CohortUserRow } {
  const { workspace, now, actor } = at;
  const id = randomId('coh-', 8);
  const records: CohortRecords = 'failure' in outcome ? { users: [], total: 0, rejected: 0 } : outcome;
  const owner = { sandbox_id: workspace.sandboxId, org_id: workspace.orgId, workspace_id: workspace.workspaceId };
  const cohort: CohortRow = {
    ...owner,
    id,
    campaign_id: campaign.id,
    name,
    status: 'failure' in outcome ? 'failed' : 'completed',
    source_type: source,
    failure_reason: 'failure' in outcome ? outcome.failure : null,
    total_records: records.total,
    valid_records: records.users.length,
    rejected_records: records.rejected,
    created_by: actor,
    updated_by: actor,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  const userRow = (user: CohortUser, position: number): CohortUserRow => ({
    ...owner,
    cohort_id: id,
    position,
    phone_number: user.phone_number,
    user_identifier: user.user_identifier,
    app_variables: JSON.stringify(user.app_variables),
    app_overrides: user.app_overrides === null ? null : JSON.stringify(user.app_overrides),
  });
  return { cohort, userRow };
}

/**
 * Stores a processed cohort with its valid users and queues them on the campaign's dialer, in the
 * request's transaction: together or not at all.
 */
function saveCohort(store: SarvamStore, { simulator }: VendorEnvironment, at: WorkspaceRequest, campaign: CampaignRow, name: string, source: CohortSource, outcome: CohortOutcome): CohortRow {
  const { cohort, userRow } = cohortRows(at, campaign, name, source, outcome);
  const users = 'failure' in outcome ? [] : outcome.users.map(userRow);
  store.insertCohort(cohort, users);
  queueCohortUsers(simulator, campaign, users, at.now.getTime());
  return cohort;
}

/**
 * `saveCohort` for a file of many rows, from a prepare step: the users are written in slices (see
 * src/store/imports.ts), the campaign read again before each, so other requests are answered
 * meanwhile. A campaign cancelled or deleted half-way, or a reset, takes the cohort back whole.
 */
async function saveCohortInSlices(store: SarvamStore, { simulator, imports }: VendorEnvironment, request: RequestContext, name: string, source: CohortSource, records: CohortRecords): Promise<CohortRow> {
  const at = enterWorkspace(store, request);
  const { cohort, userRow } = cohortRows(at, campaignTakingCohorts(store, at, request), name, source, records);
  const target = { sandbox: request.sandbox, kind: COHORT_IMPORT, ref: cohort.id, detail: { campaign_id: cohort.campaign_id } };
  // The rows are built a slice at a time too: building half a million at once holds the loop for seconds.
  let position = 0;
  await imports.run(target, records.users, (slice) => {
    const campaign = campaignTakingCohorts(store, enterWorkspace(store, request), request);
    if (position === 0) store.insertCohort(cohort, []);
    const users = slice.map((user) => userRow(user, position++));
    store.insertCohortUsers(users);
    queueCohortUsers(simulator, campaign, users, at.now.getTime());
  });
  return cohort;
}

const COHORT_IMPORT = 'sarvam/cohort';

/** A prepare step's cohort: processed and waiting to be written, or written already (a big one). */
type PreparedCohort = { outcome: CohortOutcome } | { saved: CohortRow };

async function prepareCohort(store: SarvamStore, environment: VendorEnvironment, request: RequestContext, name: string, source: CohortSource, outcome: CohortOutcome): Promise<PreparedCohort> {
  if ('failure' in outcome || outcome.users.length <= WRITTEN_AT_ONCE) return { outcome };
  return { saved: await saveCohortInSlices(store, environment, request, name, source, outcome) };
}

/** The campaign of the path, if it may take a cohort: active, scheduled or paused (Sarvam's "Stream Cohort" page). */
function campaignTakingCohorts(store: SarvamStore, at: WorkspaceRequest, request: RequestContext): CampaignRow {
  const campaign = findCampaign(store, at.workspace, request.params.campaign_id as string);
  assertAcceptsCohorts(campaign.status);
  return campaign;
}

/** A multipart field that must be a file, as FastAPI's UploadFile says when it is text. */
function uploadedFile(request: RequestContext, field: string): File | undefined {
  const file = request.files[field];
  const sent = (request.body as Record<string, unknown>)[field];
  if (!file && sent !== undefined) throw new ReplyError(valueError(['body', field], "Expected UploadFile, received: <class 'str'>", sent));
  return file;
}

/** A file's bytes, refused with FastAPI's 422 unless they are UTF-8. */
async function utf8Bytes(file: File, field: string): Promise<Uint8Array> {
  const bytes = await file.bytes();
  if (!isUtf8(bytes)) throw new ReplyError(valueError(['body', field], `${field} is not UTF-8 text`, file.name));
  return bytes;
}

async function fileText(file: File, field: string): Promise<string> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await file.bytes());
  } catch {
    throw new ReplyError(valueError(['body', field], `${field} is not UTF-8 text`, file.name));
  }
}

export function cohortHandlers(store: SarvamStore, environment: VendorEnvironment): Record<string, AnyHandler> {
  // A cohort written in slices and cut short: its users leave the dialer and the cohort goes.
  environment.imports.define(COHORT_IMPORT, (entry, limit) => {
    const { campaign_id: campaignId } = JSON.parse(entry.detail) as { campaign_id: string };
    const removed = store.deleteCohortUsers(entry.sandbox_id, entry.ref, limit);
    unqueueCohortUsers(environment.simulator, entry.sandbox_id, campaignId, entry.ref, removed);
    if (removed.length < limit) store.deleteCohort(entry.sandbox_id, entry.ref);
    return removed.length;
  });
  return {
    'create-cohort': {
      // Checked before the fetch, so a refused request fetches nothing; checked again after it,
      // because the campaign may have been cancelled or deleted while the source was read.
      async prepare(request): Promise<PreparedCohort> {
        const body = request.body as CreateCohortBody;
        campaignTakingCohorts(store, enterWorkspace(store, request), request);
        // The spec's CohortTransformation schema has already held the body to the mapping's shape.
        const transformation = body.cohort_transformation === undefined ? DEFAULT_TRANSFORMATION : (readTransformation(body.cohort_transformation) as CohortTransformation);
        const source = await readCohortSource(body.source.url);
        if ('failure' in source) return { outcome: source };
        const records = await readCohortCsv(source.text, transformation);
        return prepareCohort(store, environment, request, body.name, 'url', typeof records === 'string' ? { failure: `the source file ${records}` } : records);
      },
      handle(request, prepared) {
        if ('saved' in prepared) return { status: 200, body: presentCohort(prepared.saved) };
        const at = enterWorkspace(store, request);
        const campaign = campaignTakingCohorts(store, at, request);
        return { status: 200, body: presentCohort(saveCohort(store, environment, at, campaign, (request.body as CreateCohortBody).name, 'url', prepared.outcome)) };
      },
    } satisfies PreparedHandler<PreparedCohort>,

    'upload-cohort': {
      async prepare(request): Promise<PreparedCohort> {
        const at = enterWorkspace(store, request);
        // The spec requires cohort_file, and uploadedFile refuses it as text: it is a file here.
        const csvFile = uploadedFile(request, 'cohort_file') as File;
        const transformationFile = uploadedFile(request, 'cohort_transformation_file');
        campaignTakingCohorts(store, at, request);

        let transformation = DEFAULT_TRANSFORMATION;
        if (transformationFile) {
          const text = await fileText(transformationFile, 'cohort_transformation_file');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch (error) {
            throw new ReplyError(valueError(['body', 'cohort_transformation_file'], `cohort_transformation_file is not valid JSON: ${(error as Error).message}`, transformationFile.name));
          }
          const read = readTransformation(parsed);
          if (typeof read === 'string') throw new ReplyError(valueError(['body', 'cohort_transformation_file'], `cohort_transformation_file ${read}`, transformationFile.name));
          transformation = read;
        }
        const records = await readCohortCsv(await utf8Bytes(csvFile, 'cohort_file'), transformation);
        // Sarvam's cohort pages ask for a header row and at least one data row.
        if (typeof records === 'string') throw new ReplyError(valueError(['body', 'cohort_file'], `cohort_file ${records}`, csvFile.name));
        return prepareCohort(store, environment, request, (request.body as { name: string }).name, 'file_upload', records);
      },
      handle(request, prepared) {
        if ('saved' in prepared) return { status: 200, body: presentCohort(prepared.saved) };
        const at = enterWorkspace(store, request);
        const campaign = campaignTakingCohorts(store, at, request);
        return { status: 200, body: presentCohort(saveCohort(store, environment, at, campaign, (request.body as { name: string }).name, 'file_upload', prepared.outcome)) };
      },
    } satisfies PreparedHandler<PreparedCohort>,

    'stream-cohort'(request) {
      const body = request.body as StreamCohortBody;
      const at = enterWorkspace(store, request);
      const campaign = campaignTakingCohorts(store, at, request);
      const users: CohortUser[] = [];
      for (const user of body.users) {
        const phone = toCohortPhone(user.user_phone_number);
        if (phone === undefined) continue;
        users.push({
          phone_number: phone,
          user_identifier: user.user_identifier ?? null,
          app_variables: user.app_variables ?? {},
          app_overrides: user.app_overrides ?? null,
        });
      }
      const outcome = { users, total: body.users.length, rejected: body.users.length - users.length };
      return { status: 200, body: presentCohort(saveCohort(store, environment, at, campaign, body.name, 'stream', outcome)) };
    },

    'list-cohorts'(request) {
      const query = request.query as { offset?: number; limit?: number };
      const { workspace } = enterWorkspace(store, request);
      const campaign = findCampaign(store, workspace, request.params.campaign_id as string);
      const limit = query.limit ?? 10;
      const offset = query.offset ?? 0;
      const { rows, total } = store.listCohorts(workspace.sandboxId, campaign.id, limit, offset);
      return { status: 200, body: offsetPage(request.url, rows.map(presentCohort), total, limit, offset) };
    },

    'get-cohort'(request) {
      const { workspace } = enterWorkspace(store, request);
      const campaign = findCampaign(store, workspace, request.params.campaign_id as string);
      const cohort = store.getCohort(workspace, campaign.id, request.params.cohort_id as string);
      if (!cohort) throw new ReplyError(notFound('Cohort not found'));
      return { status: 200, body: presentCohort(cohort) };
    },
  };
}
