/**
 * Collects one CRLF-terminated line from input that may arrive in pieces split anywhere (mid-line,
 * between CR and LF), holding at most `maxLength` bytes: the framing lines of an aws-chunked body
 * are short, and a peer that never sends a line end must not make us buffer without bound.
 */
export type LineResult = { kind: 'line'; text: string; consumed: number } | { kind: 'partial'; consumed: number } | { kind: 'too-long' } | { kind: 'bad-ending' };

const LF = 0x0a;
const CR = 0x0d;

export class BoundedLine {
  private pieces: Buffer[] = [];
  private length = 0;

  constructor(private readonly maxLength: number) {}

  /** Reads from `input` at `offset` up to and including the next LF. The text excludes the CRLF. */
  read(input: Buffer, offset: number): LineResult {
    const end = input.indexOf(LF, offset);
    const stop = end === -1 ? input.length : end + 1;
    if (this.length + (stop - offset) > this.maxLength + 2) return { kind: 'too-long' };
    // A partial line is copied, so that holding it does not also hold the whole input buffer.
    this.pieces.push(end === -1 ? Buffer.from(input.subarray(offset, stop)) : input.subarray(offset, stop));
    this.length += stop - offset;
    if (end === -1) return { kind: 'partial', consumed: stop - offset };
    const line = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.length);
    this.pieces = [];
    this.length = 0;
    if (line.length < 2 || line[line.length - 2] !== CR) return { kind: 'bad-ending' };
    return { kind: 'line', text: line.toString('latin1', 0, line.length - 2), consumed: stop - offset };
  }
}
