// The embedded database (PGlite, PostgreSQL compiled to WebAssembly) on a thread of its own: its work no longer holds
// the thread that renders pages. lib/db/pglite-thread.ts is the other side: it sends each query, transaction step and
// the close here, and gets rows or the error's identifiers back. Plain JavaScript, loaded by path (not bundled).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(workerData.dataDir);
/** Open transactions by id: the PGlite transaction and how to end it. */
const transactions = new Map();
let nextTransaction = 1;
const identity = (value) => value;

/** PGlite's query options from what crossed the thread: the row mode and the types left as text. */
function queryOptions(options) {
  if (!options) return undefined;
  return {
    ...(options.rowMode ? { rowMode: options.rowMode } : {}),
    ...(options.rawTypes ? { parsers: Object.fromEntries(options.rawTypes.map((oid) => [oid, identity])) } : {}),
  };
}

const plain = (result) => ({ rows: result.rows, affectedRows: result.affectedRows, fields: result.fields });

/** What of an error crosses the thread: its name and identifiers (never its message, which may quote a value). */
function errorFields(error) {
  const fields = { name: error?.name ?? 'Error' };
  for (const key of ['code', 'constraint', 'severity', 'table', 'column', 'schema']) if (typeof error?.[key] === 'string') fields[key] = error[key];
  return fields;
}

const ROLLBACK = Symbol('rollback');

/** Opens a transaction and holds it open until `end`; resolves with its id once BEGIN has run. */
function begin() {
  const id = nextTransaction++;
  return new Promise((started, failed) => {
    const open = { tx: undefined, commit: undefined, rollback: undefined, done: undefined };
    open.done = db.transaction(
      (tx) =>
        new Promise((commit, rollback) => {
          Object.assign(open, { tx, commit, rollback });
          transactions.set(id, open);
          started(id);
        }),
    );
    open.done.then(
      () => transactions.delete(id),
      (error) => {
        transactions.delete(id);
        // It never began: its `begin` fails. Otherwise `end` reports how it ended.
        if (!open.tx) failed(error);
      },
    );
  });
}

/** Commits (or rolls back) an open transaction; resolves once it has ended, fails if the commit did. */
async function end(id, commit) {
  const open = transactions.get(id);
  if (!open) throw Object.assign(new Error('no such transaction'), { code: '25P01' });
  if (commit) open.commit();
  else open.rollback(ROLLBACK);
  try {
    await open.done;
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
}

async function handle(message) {
  const target = message.tx === undefined ? db : transactions.get(message.tx)?.tx;
  if (!target) throw Object.assign(new Error('no such transaction'), { code: '25P01' });
  switch (message.op) {
    case 'query':
      return plain(await target.query(message.text, message.params, queryOptions(message.options)));
    case 'exec':
      return (await target.exec(message.text)).map(plain);
    case 'begin':
      return begin();
    case 'end':
      return end(message.tx, message.commit);
    case 'close':
      await db.close();
      return undefined;
    default:
      throw new Error(`unknown operation ${message.op}`);
  }
}

parentPort.on('message', (message) => {
  handle(message).then(
    (result) => parentPort.postMessage({ id: message.id, result }),
    (error) => parentPort.postMessage({ id: message.id, error: errorFields(error) }),
  );
});
parentPort.postMessage({ ready: true });
