import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignalBoard } from './signals.js';

describe('SignalBoard', () => {
  it('completes after `count` distinct SUCCESS signals and tells each one as it arrives', async () => {
    const board = new SignalBoard();
    const heard: string[] = [];
    const waiting = board.expect('stack', 'Server', 2, 60, (status, uniqueId) => heard.push(`${status} ${uniqueId}`));
    assert.equal(board.signal('stack', 'Server', 'a', 'SUCCESS'), true);
    assert.equal(board.signal('stack', 'Server', 'a', 'SUCCESS'), true);
    assert.equal(board.waiting('stack', 'Server'), true);
    board.signal('stack', 'Server', 'b', 'SUCCESS');
    assert.deepEqual(await waiting, { kind: 'received' });
    assert.deepEqual(heard, ['SUCCESS a', 'SUCCESS a', 'SUCCESS b']);
    assert.equal(board.signal('stack', 'Server', 'c', 'SUCCESS'), false, 'nobody waits any more');
  });

  it('fails at the first FAILURE signal, times out with the number missing, and can be cancelled', async () => {
    const board = new SignalBoard();
    const failing = board.expect('stack', 'A', 3, 60, () => {});
    board.signal('stack', 'A', 'x', 'FAILURE');
    assert.deepEqual(await failing, { kind: 'failure', uniqueId: 'x' });
    const timing = board.expect('stack', 'B', 2, 0.05, () => {});
    board.signal('stack', 'B', 'one', 'SUCCESS');
    const keepAlive = setTimeout(() => {}, 1000); // the board's own timer does not hold the process open
    assert.deepEqual(await timing, { kind: 'timeout', missing: 1 });
    clearTimeout(keepAlive);
    const cancelled = board.expect('stack', 'C', 1, 60, () => {});
    board.cancelAll();
    assert.deepEqual(await cancelled, { kind: 'cancelled' });
  });
});
