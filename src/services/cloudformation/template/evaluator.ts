/** What each intrinsic function's implementation gets: the context, and the way back into evaluation. */
import type { EvaluationContext } from './types.js';

export interface Evaluator {
  context: EvaluationContext;
  /** evaluates nested functions; undefined means AWS::NoValue (the caller drops it) */
  resolve(value: unknown): unknown;
  /** Ref: a parameter, a pseudo parameter or a resource */
  ref(name: string): unknown;
}

export type FunctionImplementation = (argument: unknown, evaluator: Evaluator) => unknown;
