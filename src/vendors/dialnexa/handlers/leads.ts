import { ReplyError } from '../../../engine/reply.js';
import type { AnyHandler, PreparedHandler, RequestContext, VendorEnvironment } from '../../../engine/vendor.js';
import { dequeueLead, inSimulation, queueLeads, syncCampaign, unqueueLeads } from '../dialer.js';
import { toE164 } from '../../../formats/phone.js';
import { orderedId } from '../../../store/ids.js';
import { badRequest, notFound, payloadTooLarge } from '../errors.js';
import { INVALID_PHONE, LeadsReader, MAX_UPLOAD_BYTES, openLeadsFile } from '../leads-file.js';
import { Pacer } from '../../../pacer.js';
import { WRITTEN_AT_ONCE, type ImportWriter } from '../../../store/imports.js';
import { presentLead } from '../present.js';
import { assertLeadRemovable, assertLeadsCanBeAdded, statusWithNewLeads } from '../rules.js';
import type { CampaignStatus, DialnexaStore, LeadRow } from '../store.js';
import { findCampaign } from './campaigns.js';

const LEADS_IMPORT = 'dialnexa/leads';

interface UploadedLeads {
  /** The leads left for the handler to write: all of a small file's, none of a big one's (written already, in slices). */
  leads: LeadRow[];
  created: number;
  skipped: number;
  now: Date;
  /** Whether the leads are written already (a big file, in slices). */
  written: boolean;
}

interface CreateLeadBody {
  name?: string;
  phoneNumber: string;
  countryCode?: string;
  campaignId: string;
  notes?: Record<string, string | number | boolean>;
}

function findLead(store: DialnexaStore, request: RequestContext): LeadRow {
  const lead = store.getLead(request.sandbox.id, request.params.id as string);
  // "Get a campaign lead", "Remove a campaign lead": a removed lead reads as missing.
  if (!lead || lead.status === 'removed') throw new ReplyError(notFound('Lead not found'));
  return lead;
}

/** `countryCode + phoneNumber` ("Add a lead to a campaign"); a `phoneNumber` already in E.164 stands alone. */
function leadPhoneNumber(body: CreateLeadBody): string {
  const written = body.phoneNumber.trim();
  if (!written.startsWith('+') && body.countryCode === undefined) {
    throw new ReplyError(badRequest('countryCode should not be empty when phoneNumber has no country code'));
  }
  const e164 = toE164(written.startsWith('+') ? written : `${body.countryCode}${written.replace(/^0+/, '')}`);
  if (!e164) throw new ReplyError(badRequest(INVALID_PHONE));
  return e164;
}

export function leadHandlers(store: DialnexaStore, { simulator, imports }: VendorEnvironment): Record<string, AnyHandler> {
  // An upload cut short takes its leads and their contacts back out, and gives a completed
  // campaign that its first slice set running its status back.
  imports.define(LEADS_IMPORT, (entry, limit) => {
    const removed = store.deleteImportedLeads(entry.sandbox_id, entry.ref, entry.id, limit);
    unqueueLeads(simulator, entry.sandbox_id, entry.ref, removed);
    const before = (JSON.parse(entry.detail) as { status: CampaignStatus }).status;
    const campaign = removed.length < limit ? store.getCampaign(entry.sandbox_id, entry.ref) : undefined;
    if (campaign && campaign.status !== before && campaign.status === statusWithNewLeads(before)) {
      store.setCampaignStatus(campaign.sandbox_id, campaign.id, before, campaign.updated_at);
      syncCampaign(simulator, { ...campaign, status: before }, 0);
    }
    return removed.length;
  });

  /**
   * Adds leads to a campaign and queues them for the dialer (inside the request's transaction).
   * The campaign is read again here, so one cancelled while a file was being read takes nothing.
   * A completed campaign becomes running again: campaigns are ongoing ("Create a campaign").
   */
  const addLeads = (request: RequestContext, campaignId: string, leads: readonly LeadRow[], at: Date, importId: number | null = null): void => {
    const campaign = findCampaign(store, request, campaignId);
    assertLeadsCanBeAdded(campaign.status);
    store.insertLeads(leads, importId);
    const status = statusWithNewLeads(campaign.status);
    let dialing = campaign;
    if (status !== campaign.status) {
      store.setCampaignStatus(campaign.sandbox_id, campaign.id, status, at.toISOString());
      dialing = { ...campaign, status };
    }
    // A campaign joins the simulation with its first leads: until then it has nothing to dial.
    if (dialing !== campaign || !inSimulation(simulator, campaign)) syncCampaign(simulator, dialing, at.getTime());
    queueLeads(simulator, dialing, leads, at.getTime());
  };

  return {
    createCampaignLead(request) {
      const body = request.body as CreateLeadBody;
      const campaign = findCampaign(store, request, body.campaignId);
      assertLeadsCanBeAdded(campaign.status);
      const now = request.now();
      const lead: LeadRow = {
        sandbox_id: request.sandbox.id,
        id: orderedId('lead_'),
        campaign_id: campaign.id,
        name: body.name ?? null,
        phone_number: leadPhoneNumber(body),
        status: 'pending',
        variables: JSON.stringify(body.notes ?? {}),
        call_log_id: null,
        created_at: now.toISOString(),
      };
      addLeads(request, campaign.id, [lead], now);
      return { status: 201, body: presentLead(lead) };
    },

    getCampaignLead(request) {
      return { status: 200, body: presentLead(findLead(store, request)) };
    },

    deleteCampaignLead(request) {
      const lead = findLead(store, request);
      const campaign = findCampaign(store, request, lead.campaign_id);
      assertLeadRemovable(campaign.status);
      store.setLeadStatus(request.sandbox.id, lead.id, 'removed');
      dequeueLead(simulator, campaign, lead.id);
      return { status: 200, body: { message: 'Lead removed from campaign.' } };
    },

    uploadCampaignLeads: {
      // Reading the file waits (an XLSX workbook is unzipped, a big CSV is read a batch at a
      // time); the campaign is checked first, so a request for a missing or cancelled one is
      // refused without reading it. A file of more than a few thousand leads is written here, as
      // it is read, in slices (see src/store/imports.ts): other requests are answered meanwhile,
      // and its rows are never all held at once. A file refused half-way (a bad row) is taken
      // back whole. A small one is written by the handler proper, in the request's transaction.
      async prepare(request): Promise<UploadedLeads> {
        const file = request.files.file;
        if (!file) throw new ReplyError(badRequest('file must be a file upload, not a text field'));
        if (file.size > MAX_UPLOAD_BYTES) throw new ReplyError(payloadTooLarge());
        const campaignId = request.params.campaignId as string;
        assertLeadsCanBeAdded(findCampaign(store, request, campaignId).status);
        const pacer = new Pacer();
        const now = request.now();
        const createdAt = now.toISOString();
        const { header, batches } = await openLeadsFile(file);
        const reader = new LeadsReader<LeadRow>(header, (fields) => ({
          sandbox_id: request.sandbox.id,
          id: orderedId('lead_'),
          campaign_id: campaignId,
          name: fields.name ?? null,
          phone_number: fields.phone_number as string,
          status: 'pending',
          variables: JSON.stringify(fields.variables),
          call_log_id: null,
          created_at: createdAt,
        }));
        const writeSlice = (slice: readonly LeadRow[], importId: number) => addLeads(request, campaignId, slice, now, importId);
        let held: LeadRow[] = [];
        let writer: ImportWriter | undefined;
        let written = 0;
        try {
          for (const rows of batches) {
            for (const lead of reader.read(rows)) held.push(lead);
            if (!writer && held.length > WRITTEN_AT_ONCE && !reader.refused) {
              writer = imports.open({ sandbox: request.sandbox, kind: LEADS_IMPORT, ref: campaignId, detail: { status: findCampaign(store, request, campaignId).status } });
            }
            if (writer && held.length >= WRITTEN_AT_ONCE && !reader.refused) {
              await writer.write(held, writeSlice);
              written += held.length;
              held = [];
            }
            if (pacer.due(true)) await pacer.pause();
          }
          const { skipped } = reader.finish();
          if (!writer) return { leads: held, created: held.length, skipped, now, written: false };
          await writer.write(held, writeSlice, { last: true });
          return { leads: [], created: written + held.length, skipped, now, written: true };
        } catch (error) {
          await writer?.abort();
          throw error;
        }
      },
      handle(request, { leads, created, skipped, now, written }) {
        const campaignId = request.params.campaignId as string;
        if (!written) addLeads(request, campaignId, leads, now);
        const queued = `${created} ${created === 1 ? 'lead' : 'leads'} queued successfully.`;
        const skippedNote = skipped === 0 ? '' : ` ${skipped} ${skipped === 1 ? 'row' : 'rows'} skipped due to missing phone_number.`;
        return {
          status: 201,
          body: { campaign_id: campaignId, leads_created: created, leads_skipped: skipped, message: queued + skippedNote },
        };
      },
    } satisfies PreparedHandler<UploadedLeads>,
  };
}
