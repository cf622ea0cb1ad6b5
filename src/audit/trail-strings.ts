/**
 * The trail's table of long recurring strings (audit_strings): a caller's userIdentity JSON and a
 * user agent, which every record of a caller repeats, are kept once and named in records by id
 * (compact-record.ts). Ids are never reused (AUTOINCREMENT), so a copy of a string read once may
 * be kept for as long as wanted.
 *
 * Each string carries the latest eventTime of the records that name it (last_time, raised at most
 * once a second per string), so that retention can delete the strings no remaining record names:
 * once every record older than a time is deleted, so is every string last named before it.
 *
 * The writer's cache (string → id) may hold ids of a transaction that was then rolled back:
 * the store calls forget() whenever it rolls back.
 */
import type Database from 'better-sqlite3';
import type { StringTable } from './compact-record.js';

const CACHE_LIMIT = 10_000;

interface KnownString {
  text: string;
  id: number;
  /** last_time as stored */
  lastTime: number;
}

/**
 * How many strings are compared before the cache is asked: a Map lookup must hash its key, and a
 * record's user agent arrives as a copy of its own (a structured clone copies every occurrence of
 * a string), so that hashing it and a 500-character identity for every record cost more than
 * comparing them with the few last seen (the same identity is one string for a whole batch).
 */
const RECENT = 4;

export class TrailStrings implements StringTable {
  private readonly ids = new Map<string, KnownString>();
  private recent: KnownString[] = [];
  private nextRecent = 0;
  private readonly texts = new Map<number, string>();
  private readonly find: Database.Statement<[string], { id: number; last_time: number }>;
  private readonly insert: Database.Statement<[string, number]>;
  private readonly touch: Database.Statement<[number, number]>;
  private readonly read: Database.Statement<[number], { value: string }>;
  private readonly prune: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.find = db.prepare('SELECT id, last_time FROM audit_strings WHERE value = ?');
    this.insert = db.prepare('INSERT INTO audit_strings (value, last_time) VALUES (?, ?)');
    this.touch = db.prepare('UPDATE audit_strings SET last_time = max(last_time, ?) WHERE id = ?');
    this.read = db.prepare('SELECT value FROM audit_strings WHERE id = ?');
    this.prune = db.prepare('DELETE FROM audit_strings WHERE last_time < ?');
  }

  /** The string's id, stored if new; inside the writer's open transaction. */
  idOf(text: string, time: number): number {
    let known = this.recentOf(text);
    if (known === undefined) {
      known = this.ids.get(text);
      if (known === undefined) {
        const row = this.find.get(text);
        known = { text, id: row?.id ?? Number(this.insert.run(text, time).lastInsertRowid), lastTime: row?.last_time ?? time };
        if (this.ids.size >= CACHE_LIMIT) this.ids.clear();
        this.ids.set(text, known);
      }
      this.recent[this.nextRecent] = known;
      this.nextRecent = (this.nextRecent + 1) % RECENT;
    }
    if (time > known.lastTime) {
      this.touch.run(time, known.id);
      known.lastTime = time;
    }
    return known.id;
  }

  textOf(id: number): string {
    let text = this.texts.get(id);
    if (text === undefined) {
      const row = this.read.get(id);
      if (row === undefined) throw new Error(`the trail's string ${id} is missing`);
      text = row.value;
      if (this.texts.size >= CACHE_LIMIT) this.texts.clear();
      this.texts.set(id, text);
    }
    return text;
  }

  private recentOf(text: string): KnownString | undefined {
    for (const known of this.recent) if (known.text === text) return known;
    return undefined;
  }

  /** Drops the writer's cache: what it holds may not have been stored (a rollback). */
  forget(): void {
    this.ids.clear();
    this.recent = [];
    this.nextRecent = 0;
  }

  /** Deletes the strings last named by a record older than `time` (every such record is deleted). */
  pruneBefore(time: number): void {
    this.prune.run(time);
    this.forget();
  }
}
