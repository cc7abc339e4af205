// Which variables a Jinja template reads, for save-time validation of `{{ … }}` references.
//
// Why a light scanner here instead of the Jinja parser: `domain/` must not depend on the engine
// (the template engine lives in `engine/workflow/template`, which already uses the real
// @huggingface/jinja AST for its own `referencedNames`), and a rejected save is worse than an
// unnoticed typo, so this scanner only has to be *conservative*: it drops anything that could
// be a local name (set / for / macro targets, keyword-argument names, attributes, filter and
// test names) and never reports a name the real parser would not also report.

const JINJA_WORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'if', 'else', 'elif', 'endif', 'for', 'endfor', 'set', 'endset', 'macro',
  'endmacro', 'call', 'endcall', 'filter', 'endfilter', 'block', 'endblock', 'extends', 'include', 'import',
  'from', 'as', 'with', 'endwith', 'without', 'context', 'ignore', 'missing', 'recursive', 'raw', 'endraw',
  'true', 'false', 'none', 'True', 'False', 'None', 'break', 'continue', 'do',
  // Names Jinja itself provides.
  'loop', 'range', 'lipsum', 'dict', 'cycler', 'joiner', 'namespace', 'caller', 'varargs', 'kwargs', 'self', 'super',
]);

const SPAN = /\{\{([\s\S]*?)\}\}|\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{%([\s\S]*?)%\}|\{#[\s\S]*?#\}/g;
const TOKEN = /\s+|"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|==|!=|<=|>=|\*\*|\/\/|\S/g;

type Token = { kind: 'name' | 'string' | 'number' | 'op'; text: string };

function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  for (const match of code.matchAll(TOKEN)) {
    const text = match[0];
    if (/^\s+$/.test(text)) continue;
    if (text[0] === '"' || text[0] === "'") tokens.push({ kind: 'string', text });
    else if (/^[A-Za-z_]/.test(text)) tokens.push({ kind: 'name', text });
    else if (/^\d/.test(text)) tokens.push({ kind: 'number', text });
    else tokens.push({ kind: 'op', text });
  }
  return tokens;
}

/** True when the string contains Jinja syntax (`{{ … }}` or `{% … %}`). */
export function hasTemplateSyntax(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** Root variable names a template reads (first occurrence order), minus names it binds itself. */
export function scanTemplateReferences(template: string): string[] {
  if (!hasTemplateSyntax(template)) return [];
  const used: string[] = [];
  const bound = new Set<string>();
  for (const match of template.matchAll(SPAN)) {
    const expression = match[1];
    const statement = match[2];
    if (expression !== undefined) collectUses(tokenize(expression.replace(/^-|-$/g, '')), used);
    else if (statement !== undefined) {
      const tokens = tokenize(statement.replace(/^-|-$/g, ''));
      collectBindings(tokens, bound);
      collectUses(tokens, used);
    }
  }
  return [...new Set(used)].filter((name) => !bound.has(name));
}

function collectBindings(tokens: Token[], bound: Set<string>): void {
  const head = tokens[0]?.text;
  if (head === 'for') {
    // {% for a, b in items %}
    for (const t of tokens.slice(1)) {
      if (t.text === 'in') break;
      if (t.kind === 'name') bound.add(t.text);
    }
  } else if (head === 'set' || head === 'with') {
    // {% set x = … %}, {% set a, b = … %}, {% set x %}…{% endset %}, {% with x = … %}
    for (const t of tokens.slice(1)) {
      if (t.text === '=' || t.text === '|') break;
      if (t.kind === 'name') bound.add(t.text);
    }
  } else if (head === 'macro' || head === 'call') {
    // {% macro name(arg, other=default) %}: the macro name and its parameters are local.
    for (const t of tokens.slice(1)) if (t.kind === 'name') bound.add(t.text);
  } else if (head === 'import' || head === 'from') {
    for (const t of tokens) if (t.kind === 'name') bound.add(t.text);
  }
}

function collectUses(tokens: Token[], used: string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'name' || JINJA_WORDS.has(token.text)) continue;
    const prev = tokens[i - 1]?.text;
    const prevPrev = tokens[i - 2]?.text;
    const next = tokens[i + 1]?.text;
    if (prev === '.' || prev === '|') continue; // attribute or filter name
    if (prev === 'is' || (prev === 'not' && prevPrev === 'is')) continue; // test name
    if (next === '=') continue; // keyword argument or assignment target
    used.push(token.text);
  }
}
