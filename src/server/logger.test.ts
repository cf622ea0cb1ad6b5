import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonLogger } from './logger.js';

test('a log line is the JSON of its fields, escaped as JSON.stringify escapes them, unset fields left out', () => {
  const written: string[] = [];
  const logger = jsonLogger('info', (bytes) => { written.push(Buffer.from(bytes).toString('utf8')); });
  const tricky = 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f é 𝄞 lone \ud800 end';
  logger.log('info', 'request', { requestId: 'r-1', status: 200, ok: true, error: undefined, odd: tricky, ratio: 0.125, bad: Number.NaN });
  logger.log('warn', tricky);
  logger.flush();
  const lines = written.join('').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.match(String(first.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual({ ...first, time: undefined }, { time: undefined, level: 'info', msg: 'request', requestId: 'r-1', status: 200, ok: true, odd: tricky, ratio: 0.125, bad: null });
  assert.ok(!('error' in first));
  // Byte for byte what JSON.stringify writes for the same object.
  assert.equal(lines[0], JSON.stringify({ time: first.time, level: 'info', msg: 'request', requestId: 'r-1', status: 200, ok: true, odd: tricky, ratio: 0.125, bad: null }));
  assert.deepEqual(JSON.parse(lines[1]!), { time: JSON.parse(lines[1]!).time, level: 'warn', msg: tricky });
});

test('lines below the level are dropped; lines are written together, soon, without an explicit flush', async () => {
  const written: string[] = [];
  const logger = jsonLogger('warn', (bytes) => { written.push(Buffer.from(bytes).toString('utf8')); });
  logger.log('info', 'dropped');
  logger.log('debug', 'dropped too');
  logger.log('warn', 'one');
  logger.log('error', 'two');
  assert.equal(written.length, 0, 'written at once instead of gathered');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(written.length, 1, 'two lines gathered into one write');
  assert.deepEqual(written[0]!.trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg), ['one', 'two']);
});

test('a large backlog is written without waiting for the delay', () => {
  const written: string[] = [];
  const logger = jsonLogger('info', (bytes) => { written.push(Buffer.from(bytes).toString('utf8')); });
  const long = 'x'.repeat(1000);
  for (let index = 0; index < 100; index++) logger.log('info', 'line', { long });
  assert.ok(written.length >= 1, 'a 100 KB backlog waited for the timer');
  logger.flush();
  assert.equal(written.join('').trim().split('\n').length, 100);
  // A line longer than the buffer (a stack trace) is written whole, in order, non-ASCII included.
  const huge = 'é'.repeat(40_000);
  logger.log('info', 'before');
  logger.log('error', 'huge', { huge });
  logger.log('info', 'after');
  logger.flush();
  const lines = written.join('').trim().split('\n').slice(100).map((line) => JSON.parse(line) as { msg: string; huge?: string });
  assert.deepEqual(lines.map((line) => line.msg), ['before', 'huge', 'after']);
  assert.equal(lines[1]!.huge, huge);
});
