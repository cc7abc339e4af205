// The variables a template reads, from the real Jinja AST: root names that are not bound inside
// the template itself (`{% set %}`, `{% for %}` targets, macro parameters) nor Jinja globals.
import { compile } from './runtime.ts';

type Node = { type: string; [key: string]: unknown };

const TEMPLATE_GLOBALS = new Set(['true', 'false', 'none', 'True', 'False', 'None', 'range', 'namespace', 'loop', 'caller', 'varargs', 'kwargs']);

/** True when the string contains Jinja syntax; plain strings are used as they are. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** Root variable names a template reads, in first-use order. Throws `TemplateError` on syntax errors. */
export function referencedNames(template: string): string[] {
  if (!isTemplate(template)) return [];
  const used: string[] = [];
  visit(compile(template) as unknown as Node, new Set(), used);
  return [...new Set(used)];
}

function bindTargets(target: Node | undefined, scope: Set<string>): void {
  if (!target) return;
  if (target.type === 'Identifier') scope.add(target.value as string);
  else if (target.type === 'TupleLiteral' || target.type === 'ArrayLiteral') {
    for (const item of target.value as Node[]) bindTargets(item, scope);
  }
}

function visitAll(nodes: unknown, scope: Set<string>, used: string[]): void {
  if (Array.isArray(nodes)) for (const node of nodes) visit(node as Node, scope, used);
}

function visit(node: Node | null | undefined, scope: Set<string>, used: string[]): void {
  if (!node || typeof node !== 'object' || typeof node.type !== 'string') return;
  switch (node.type) {
    case 'Identifier': {
      const name = node.value as string;
      if (!scope.has(name) && !TEMPLATE_GLOBALS.has(name)) used.push(name);
      return;
    }
    case 'MemberExpression':
      visit(node.object as Node, scope, used);
      if (node.computed) visit(node.property as Node, scope, used);
      return;
    case 'FilterExpression':
      visit(node.operand as Node, scope, used);
      visitFilter(node.filter as Node, scope, used);
      return;
    case 'FilterStatement':
      visitFilter(node.filter as Node, scope, used);
      visitAll(node.body, scope, used);
      return;
    case 'TestExpression':
      visit(node.operand as Node, scope, used); // the test name is not a variable
      return;
    case 'KeywordArgumentExpression':
      visit(node.value as Node, scope, used); // the keyword is not a variable
      return;
    case 'For': {
      const inner = new Set(scope);
      bindTargets(node.loopvar as Node, inner);
      const iterable = node.iterable as Node;
      if (iterable.type === 'SelectExpression') {
        // `{% for x in items if x.ok %}`: the filter test sees the loop variable.
        visit(iterable.lhs as Node, scope, used);
        visit(iterable.test as Node, inner, used);
      } else visit(iterable, scope, used);
      visitAll(node.body, inner, used);
      visitAll(node.defaultBlock, scope, used);
      return;
    }
    case 'Set':
      visit(node.value as Node, scope, used);
      visitAll(node.body, scope, used);
      // A set at any level makes the name local for the rest of the template (conservative).
      if ((node.assignee as Node).type === 'MemberExpression') visit(node.assignee as Node, scope, used);
      else bindTargets(node.assignee as Node, scope);
      return;
    case 'Macro': {
      scope.add((node.name as Node).value as string);
      const inner = new Set(scope);
      for (const parameter of node.args as Node[]) {
        if (parameter.type === 'KeywordArgumentExpression') {
          visit(parameter.value as Node, scope, used);
          inner.add((parameter.key as Node).value as string);
        } else bindTargets(parameter, inner);
      }
      visitAll(node.body, inner, used);
      return;
    }
    case 'BinaryExpression':
      // The operator is a token (`and`, `in`…), not a variable.
      visit(node.left as Node, scope, used);
      visit(node.right as Node, scope, used);
      return;
    case 'UnaryExpression':
      visit(node.argument as Node, scope, used);
      return;
    case 'ObjectLiteral':
      for (const [key, value] of node.value as Map<Node, Node>) {
        visit(key, scope, used);
        visit(value, scope, used);
      }
      return;
    default:
      for (const [key, child] of Object.entries(node)) {
        if (key === 'type') continue;
        if (Array.isArray(child)) visitAll(child, scope, used);
        else if (child && typeof child === 'object') visit(child as Node, scope, used);
      }
  }
}

function visitFilter(filter: Node, scope: Set<string>, used: string[]): void {
  // `x | name` names a filter, not a variable; only call arguments are expressions.
  if (filter.type === 'CallExpression') visitAll(filter.args, scope, used);
}
