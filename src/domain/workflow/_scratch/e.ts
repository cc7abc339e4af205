import { parseDefinitionInput } from '../parse.ts';
import { validateDefinition } from '../validate.ts';
import * as ex from '../fixtures/examples.ts';
for (const [name, v] of Object.entries(ex)) {
  try {
    const req = typeof v === 'string' ? parseDefinitionInput({ yaml_definition: v }) : parseDefinitionInput({ json_definition: v });
    console.log(name, JSON.stringify(validateDefinition(req)));
    if (name === 'PAGINATION_YAML') console.log(JSON.stringify(req, null, 1).slice(0, 1500));
  } catch (e: any) { console.log(name, 'ERR', JSON.stringify(e.detail ?? e.message)); }
}
