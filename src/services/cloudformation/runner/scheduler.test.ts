import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runGraph } from './scheduler.js';

const graph: Record<string, string[]> = { vpc: [], role: [], subnet: ['vpc'], group: ['vpc'], instance: ['subnet', 'group', 'role'] };
const waitsFor = (item: string): string[] => graph[item] ?? [];
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('runGraph', () => {
  it('starts independent items together and an item only after everything it waits for', async () => {
    const log: string[] = [];
    const result = await runGraph(Object.keys(graph), waitsFor, async (item) => {
      log.push(`start ${item}`);
      await tick();
      log.push(`end ${item}`);
      return true;
    }, { stopOnFailure: true });
    assert.deepEqual(result.failed, []);
    assert.deepEqual(log.slice(0, 2), ['start vpc', 'start role']);
    assert.ok(log.indexOf('end vpc') < log.indexOf('start subnet'));
    for (const before of ['end subnet', 'end group', 'end role']) assert.ok(log.indexOf(before) < log.indexOf('start instance'), before);
  });

  it('stops starting items after a failure (creation), or holds back only what the failure blocks (deletion)', async () => {
    const failVpc = async (item: string): Promise<boolean> => item !== 'vpc';
    const stopped = await runGraph(Object.keys(graph), waitsFor, failVpc, { stopOnFailure: true });
    assert.deepEqual(stopped.failed, ['vpc']);
    assert.deepEqual(stopped.skipped.sort(), ['group', 'instance', 'subnet']);
    const going = await runGraph(Object.keys(graph), waitsFor, failVpc, { stopOnFailure: false });
    assert.deepEqual(going.succeeded, ['role']);
    assert.deepEqual(going.skipped.sort(), ['group', 'instance', 'subnet']);
  });

  it('treats a thrown error as a failure and items outside the set as done', async () => {
    const result = await runGraph(['subnet'], waitsFor, async () => {
      throw new Error('boom');
    }, { stopOnFailure: true });
    assert.deepEqual(result.failed, ['subnet']);
  });
});
