/**
 * Everything one stack operation's resource work needs: the operation (record and events), who
 * it acts as, the template being applied and how it evaluates, and the context a resource
 * provider gets.
 */
import type { App } from '../../../server/app.js';
import { ServiceInvoker, type ActingCaller } from '../providers/invoker.js';
import type { Properties } from '../providers/properties.js';
import type { ProviderContext } from '../providers/provider.js';
import { resolveValue, type ResourceDeclaration } from '../template/index.js';
import { evaluationContext, type StackEvaluation } from './evaluation.js';
import { physicalName, uniqueSuffix } from './names.js';
import type { StackOperation } from './stack-operation.js';

export class StackRun {
  readonly invoker: ServiceInvoker;
  /** export names the template imports (kept on the stack: an export in use cannot go) */
  readonly imports = new Set<string>();
  /** set when the operation gives up: resources still waiting (for signals) stop */
  cancelled = false;

  constructor(readonly app: App, readonly op: StackOperation, readonly acting: ActingCaller, public evaluation?: StackEvaluation) {
    this.invoker = new ServiceInvoker(app, acting);
  }

  /** The template being applied (create and update only). */
  get template(): StackEvaluation {
    if (!this.evaluation) throw new Error('this stack operation has no template to evaluate');
    return this.evaluation;
  }

  /** A resource's properties, resolved against the stack as it is now (masked: as shown in events). */
  resolveProperties(declaration: ResourceDeclaration, masked = false): Properties {
    const context = evaluationContext(this.app, () => this.op.stack, this.template, masked ? { masked: true } : { onImport: (name) => this.imports.add(name) });
    const resolved = resolveValue(declaration.properties, context);
    if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved)) return {};
    return Object.fromEntries(Object.entries(resolved as Record<string, unknown>).filter(([, value]) => value !== undefined));
  }

  /** ResourceProperties of an event: the properties as JSON with NoEcho values and secrets masked. */
  shownProperties(declaration: ResourceDeclaration): string | undefined {
    try {
      return JSON.stringify(this.resolveProperties(declaration, true));
    } catch {
      return undefined;
    }
  }

  providerContext(logicalId: string): ProviderContext {
    const { app, op, invoker } = this;
    const stack = op.stack;
    return {
      app,
      logicalId,
      stack: { stackName: stack.stackName, stackId: stack.stackId, tags: stack.tags.filter((tag) => !tag.Key.startsWith('iamd:')) },
      call: (service, action, params) => invoker.call(service, action, params),
      callRest: (service, action, request) => invoker.callRest(service, action, request),
      perform: (service, action, request, handle) => invoker.perform(service, action, request, handle),
      physicalName: (maxLength) => physicalName(stack.stackName, logicalId, maxLength),
      uniqueSuffix: () => uniqueSuffix(),
    };
  }
}
