import type { Database } from 'better-sqlite3';
import { ReplyError } from '../../../src/engine/reply.js';
import type { VendorModule } from '../../../src/engine/vendor.js';
import { fastapi, fastapiError, isZoneInfoKey, valueError } from '../../../src/frameworks/fastapi/index.js';

interface WidgetRow {
  id: number;
  name: string;
  timezone: string;
  created_at: string;
}

/** The fixture vendor's one table, each widget in its sandbox. */
class WidgetStore {
  readonly #insert;
  readonly #get;

  constructor(db: Database) {
    this.#insert = db.prepare<[number, string, string, string], WidgetRow>(
      `INSERT INTO fixture_widgets (sandbox_id, name, timezone, created_at) VALUES (?, ?, ?, ?) RETURNING id, name, timezone, created_at`,
    );
    this.#get = db.prepare<[number, number], WidgetRow>(`SELECT id, name, timezone, created_at FROM fixture_widgets WHERE sandbox_id = ? AND id = ?`);
  }

  insert(sandboxId: number, name: string, timezone: string, now: Date): WidgetRow {
    return this.#insert.get(sandboxId, name, timezone, now.toISOString()) as WidgetRow;
  }

  get(sandboxId: number, id: number): WidgetRow | undefined {
    return this.#get.get(sandboxId, id);
  }
}

/** How many times the vendor was built: once per app, or its statements are prepared twice. */
export const built = { count: 0 };

/**
 * A made-up FastAPI vendor kept outside src/: its module here, its spec beside it (fixture.yaml).
 * Nothing else in the repository names it.
 */
export const fixtureVendor: VendorModule<'fixture'> = {
  name: 'fixture',
  title: 'Fixture',
  basePath: '/fixture/v1',
  specFile: 'fixture.yaml',
  specDir: new URL('.', import.meta.url).pathname,
  ...fastapi({ unauthorized: 'Invalid API key', forbidden: 'Forbidden' }),
  migrations: [
    {
      id: 'fixture/001-widgets',
      sql: `CREATE TABLE fixture_widgets (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        timezone TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;`,
    },
  ],
  keySettings: { type: 'object', additionalProperties: false, properties: {} },
  bodyLimits: { json: 64 * 1024, multipart: 64 * 1024 },
  create({ db }) {
    built.count += 1;
    const store = new WidgetStore(db);
    return {
      handlers: {
        createWidget(request) {
          const { name, timezone } = request.body as { name: string; timezone: string };
          if (!isZoneInfoKey(timezone)) throw new ReplyError(valueError(['body', 'timezone'], `Invalid timezone: ${timezone}`, timezone));
          return { status: 201, body: store.insert(request.sandbox.id, name, timezone, request.now()) };
        },
        getWidget(request) {
          const widget = store.get(request.sandbox.id, request.params.widget_id as number);
          if (!widget) throw new ReplyError(fastapiError(404, 'Widget not found'));
          return { status: 200, body: widget };
        },
      },
    };
  },
};
