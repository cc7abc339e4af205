// YAML definitions may use labels / parameter keys that are not identifiers ("Log in", "2fa").
// Skyvern rewrites those into identifiers before validating and rewrites every reference to
// them; JSON definitions are not rewritten (an invalid name there is a 422). This is our own
// approximation: invalid characters become `_`, a leading digit gets a `_` prefix, clashes get
// `_2`, `_3`…; references are rewritten in reference fields and inside `{{ }}` / `{% %}`.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Fields (on blocks, branches and parameters) whose string value names a label or key. */
const REFERENCE_FIELDS = new Set([
  'next_block_label', 'finally_block_label', 'source_parameter_key', 'loop_over_parameter_key', 'url_parameter_key',
  'smtp_host_secret_parameter_key', 'smtp_port_secret_parameter_key', 'smtp_username_secret_parameter_key',
  'smtp_password_secret_parameter_key',
]);

function toIdentifier(name: string): string {
  let out = name.trim().replace(/[^A-Za-z0-9_]+/g, '_');
  if (out === '') out = '_';
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

function collectNames(definition: Record<string, unknown>): { labels: string[]; keys: string[] } {
  const labels: string[] = [];
  const visit = (blocks: unknown) => {
    if (!Array.isArray(blocks)) return;
    for (const block of blocks) {
      if (!isRecord(block)) continue;
      if (typeof block.label === 'string') labels.push(block.label);
      visit(block.loop_blocks);
    }
  };
  visit(definition.blocks);
  const keys = Array.isArray(definition.parameters)
    ? definition.parameters.filter(isRecord).map((p) => p.key).filter((k): k is string => typeof k === 'string')
    : [];
  return { labels, keys };
}

/** Returns a copy of the request with non-identifier labels/keys (and references to them) rewritten. */
export function sanitizeIdentifiers(request: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(request);
  const definition = copy.workflow_definition;
  if (!isRecord(definition)) return copy;
  const { labels, keys } = collectNames(definition);
  const taken = new Set([...labels, ...keys].filter(isIdentifier));
  const renames = new Map<string, string>();
  for (const name of [...labels, ...keys]) {
    if (isIdentifier(name) || renames.has(name)) continue;
    const base = toIdentifier(name);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    renames.set(name, candidate);
  }
  if (renames.size === 0) return copy;
  // `<label>_output` references follow their block's new label.
  for (const label of labels) {
    const renamed = renames.get(label);
    if (renamed && !renames.has(`${label}_output`)) renames.set(`${label}_output`, `${renamed}_output`);
  }
  return { ...copy, workflow_definition: rewrite(definition, renames, null) as Record<string, unknown> };
}

function rewrite(value: unknown, renames: Map<string, string>, field: string | null): unknown {
  if (typeof value === 'string') {
    if (field !== null && (REFERENCE_FIELDS.has(field) || field === 'label' || field === 'key' || field === 'parameter_keys')) {
      return renames.get(value) ?? value;
    }
    return rewriteTemplateReferences(value, renames);
  }
  if (Array.isArray(value)) return value.map((item) => rewrite(item, renames, field === 'parameter_keys' ? field : null));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, renames, k)]));
  }
  return value;
}

const TEMPLATE_SPAN = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

function rewriteTemplateReferences(text: string, renames: Map<string, string>): string {
  if (!text.includes('{{') && !text.includes('{%')) return text;
  // Longest names first so "order ids_output" is replaced before "order ids".
  const names = [...renames.keys()].sort((a, b) => b.length - a.length);
  return text.replace(TEMPLATE_SPAN, (span) => {
    let out = span;
    for (const name of names) {
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g'), renames.get(name)!);
    }
    return out;
  });
}
