import createClient from 'openapi-fetch';
import type { Generated } from 'dialnexa-batch-calls-openapi';

/**
 * The paths of DialNexa's published batch-calls OpenAPI as openapi-typescript generates them
 * (see generate.ts and vendor-types.d.ts), or loose types while they are not generated.
 */
export type VendorPaths = Generated extends { paths: infer Paths extends object } ? Paths : Record<string, any>;

export interface BatchRunOptions {
  /** Where the API is: the mock's base URL (DialNexa's is https://api.dialnexa.com). */
  baseUrl: string;
  apiKey: string;
  /** The leads file to upload. */
  leads: Blob;
  /** Lets the dialer's time pass (the mock's clock); a real integration would wait. */
  wait(seconds: number): Promise<void>;
}

/**
 * A batch from upload to completion, written only against the client that openapi-fetch makes
 * from the vendor's own types: upload the leads, find the batch running, pause and resume it,
 * wait until it completes, then export its call logs.
 */
/** The part of a listed batch this flow looks at (written out, so loose types need no inference). */
type Listed = { id?: string };

export async function runBatchToCompletion({ baseUrl, apiKey, leads, wait }: BatchRunOptions) {
  const client = createClient<VendorPaths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });

  const created = await client.POST('/v1/batch-calls', {
    body: { file: leads, title: 'Generated client batch', agent_id: 'agent_abc123' },
    bodySerializer(body) {
      const form = new FormData();
      for (const [name, value] of Object.entries(body)) form.append(name, value instanceof Blob ? value : String(value));
      return form;
    },
  });
  if (!created.data?.id) throw new Error(`POST /v1/batch-calls answered ${created.response.status}: ${JSON.stringify(created.error)}`);
  const id = created.data.id;

  const running = await client.GET('/v1/batch-calls', { params: { query: { status: 'running', page: 1, limit: 20 } } });
  const paused = await client.PATCH('/v1/batch-calls/{id}/status', { params: { path: { id } }, body: { action: 'pause' } });
  const resumed = await client.PATCH('/v1/batch-calls/{id}/status', { params: { path: { id } }, body: { action: 'resume' } });

  let completed = await client.GET('/v1/batch-calls', { params: { query: { status: 'completed' } } });
  for (let waited = 0; !completed.data?.items?.some((batch: Listed) => batch.id === id) && waited < 24 * 3600; waited += 600) {
    await wait(600);
    completed = await client.GET('/v1/batch-calls', { params: { query: { status: 'completed' } } });
  }
  const calls = await client.GET('/v1/batch-calls/{id}', { params: { path: { id }, query: { export: true, created_at: 'asc' } } });
  return {
    created: created.data,
    running: running.data?.items?.find((batch: Listed) => batch.id === id),
    paused: paused.data,
    resumed: resumed.data,
    completed: completed.data?.items?.find((batch: Listed) => batch.id === id),
    callLogs: calls.data?.callLogs ?? [],
  };
}
