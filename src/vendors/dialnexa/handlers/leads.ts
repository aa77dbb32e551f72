import { ReplyError, type Handler, type RequestContext, type VendorEnvironment } from '../../../engine/vendor.js';
import { dequeueLead, queueLeads } from '../dialer.js';
import { CsvError, parseCsv } from '../../../formats/csv.js';
import { toE164 } from '../../../formats/phone.js';
import { randomId } from '../../../store/ids.js';
import { badRequest, notFound, payloadTooLarge } from '../errors.js';
import { presentLead } from '../present.js';
import { assertLeadRemovable, assertLeadsCanBeAdded } from '../rules.js';
import type { DialnexaStore, LeadRow } from '../store.js';
import { findCampaign } from './campaigns.js';

interface CreateLeadBody {
  name?: string;
  phoneNumber: string;
  countryCode?: string;
  campaignId: string;
  notes?: Record<string, string | number | boolean>;
}

/** D7: the file is at most 10 MB, with at most 15 columns besides `phone_number`. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const MAX_CUSTOM_COLUMNS = 15;
const INVALID_PHONE = 'phone_number must be a valid E.164 phone number';

function findLead(store: DialnexaStore, request: RequestContext): LeadRow {
  const lead = store.getLead(request.sandbox.id, request.params.id as string);
  // D5, D6: a removed lead reads as missing.
  if (!lead || lead.status === 'removed') throw new ReplyError(notFound('Lead not found'));
  return lead;
}

/** `countryCode + phoneNumber` (D4); a `phoneNumber` already in E.164 stands alone. */
function leadPhoneNumber(body: CreateLeadBody): string {
  const written = body.phoneNumber.trim();
  if (!written.startsWith('+') && body.countryCode === undefined) {
    throw new ReplyError(badRequest('countryCode should not be empty when phoneNumber has no country code'));
  }
  const e164 = toE164(written.startsWith('+') ? written : `${body.countryCode}${written.replace(/^0+/, '')}`);
  if (!e164) throw new ReplyError(badRequest(INVALID_PHONE));
  return e164;
}

export function leadHandlers(store: DialnexaStore, { simulator }: VendorEnvironment): Record<string, Handler> {
  return {
    createCampaignLead(request) {
      const body = request.body as CreateLeadBody;
      const campaign = findCampaign(store, request, body.campaignId);
      assertLeadsCanBeAdded(campaign.status);
      const lead = store.insertLead({
        sandbox_id: request.sandbox.id,
        id: randomId('lead_'),
        campaign_id: campaign.id,
        name: body.name ?? null,
        phone_number: leadPhoneNumber(body),
        status: 'pending',
        variables: JSON.stringify(body.notes ?? {}),
        call_log_id: null,
        created_at: request.now().toISOString(),
      });
      queueLeads(simulator, campaign, [lead], request.now().getTime());
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

    async uploadCampaignLeads(request) {
      const file = request.files.file;
      if (!file) throw new ReplyError(badRequest('file must be a file upload, not a text field'));
      if (file.size > MAX_UPLOAD_BYTES) throw new ReplyError(payloadTooLarge());
      assertCsv(file);
      const campaign = findCampaign(store, request, request.params.campaignId as string);
      assertLeadsCanBeAdded(campaign.status);

      const { leads, skipped } = readLeadsFile(await file.text(), (fields) => ({
        sandbox_id: request.sandbox.id,
        id: randomId('lead_'),
        campaign_id: campaign.id,
        name: fields.name ?? null,
        phone_number: fields.phone_number as string,
        status: 'pending',
        variables: JSON.stringify(fields.variables),
        call_log_id: null,
        created_at: request.now().toISOString(),
      }));
      store.insertLeads(leads);
      queueLeads(simulator, campaign, leads, request.now().getTime());
      const queued = `${leads.length} ${leads.length === 1 ? 'lead' : 'leads'} queued successfully.`;
      const skippedNote = skipped === 0 ? '' : ` ${skipped} ${skipped === 1 ? 'row' : 'rows'} skipped due to missing phone_number.`;
      return {
        status: 201,
        body: { campaign_id: campaign.id, leads_created: leads.length, leads_skipped: skipped, message: queued + skippedNote },
      };
    },
  };
}

/** D7 accepts CSV, XLSX and XLS; the mock reads CSV only and says so. */
function assertCsv(file: File): void {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx') || name.endsWith('.xls')) {
    throw new ReplyError(badRequest('campaign-mock reads CSV files only; save the spreadsheet as CSV and upload that'));
  }
  const csvType = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream', ''].includes(file.type.toLowerCase());
  if (!name.endsWith('.csv') && !csvType) throw new ReplyError(badRequest('Only CSV, XLSX and XLS files are allowed'));
}

interface LeadFields {
  phone_number: string;
  name?: string;
  variables: Record<string, string>;
}

/**
 * Reads the rows of an uploaded file. Rows without a phone number are skipped (D7's example
 * message); any other bad row fails the whole upload with the rows named, so nothing is
 * half-imported.
 */
function readLeadsFile(text: string, toLead: (fields: LeadFields) => LeadRow): { leads: LeadRow[]; skipped: number } {
  let table;
  try {
    table = parseCsv(text);
  } catch (error) {
    throw new ReplyError(badRequest(`The file is not valid CSV: ${(error as CsvError).message}`));
  }
  const { header, rows } = table;
  const phoneColumn = header.indexOf('phone_number');
  if (phoneColumn === -1) throw new ReplyError(badRequest('The uploaded file must include a phone_number column'));
  const duplicates = header.filter((name, index) => header.indexOf(name) !== index);
  if (duplicates.length > 0) throw new ReplyError(badRequest(`The uploaded file repeats the column ${[...new Set(duplicates)].join(', ')}`));
  const custom = header.filter((name) => name !== 'phone_number');
  if (custom.length > MAX_CUSTOM_COLUMNS) {
    throw new ReplyError(badRequest(`The uploaded file has ${custom.length} columns besides phone_number; at most ${MAX_CUSTOM_COLUMNS} are allowed`));
  }
  if (custom.some((name) => name === '')) throw new ReplyError(badRequest('Every column of the uploaded file needs a name in the header row'));
  if (rows.length === 0) throw new ReplyError(badRequest('The uploaded file has no data rows'));

  const problems = new Map<string, number[]>();
  const note = (problem: string, line: number) => {
    const lines = problems.get(problem) ?? [];
    lines.push(line);
    problems.set(problem, lines);
  };
  const leads: LeadRow[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (row.fields.length > header.length) {
      note(`has more fields than the header's ${header.length} columns`, row.line);
      continue;
    }
    const written = (row.fields[phoneColumn] ?? '').trim();
    if (written === '') {
      skipped++;
      continue;
    }
    const phone = toE164(written);
    if (!phone) {
      note(INVALID_PHONE, row.line);
      continue;
    }
    const variables: Record<string, string> = {};
    header.forEach((name, index) => {
      const value = row.fields[index]?.trim() ?? '';
      if (index !== phoneColumn && value !== '') variables[name] = value;
    });
    leads.push(toLead({ phone_number: phone, ...(variables.name ? { name: variables.name } : {}), variables }));
  }
  if (problems.size > 0) throw new ReplyError(badRequest([...problems].map(([problem, lines]) => `${rowList(lines)}: ${problem}`)));
  return { leads, skipped };
}

function rowList(lines: number[]): string {
  const shown = lines.slice(0, 20).join(', ');
  const more = lines.length > 20 ? ` and ${lines.length - 20} more` : '';
  return `${lines.length === 1 ? 'Row' : 'Rows'} ${shown}${more}`;
}
