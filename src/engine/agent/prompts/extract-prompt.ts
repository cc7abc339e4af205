// Extraction: the page (with a larger text budget) → JSON for the user, in the shape of their
// data_extraction_schema when one was given. Data saved from earlier pages is merged in, which
// is how a paginated list ends up as one result.
import { compactJson, pageSection, renderSections, schemaLines, type Section } from './sections.ts';

export const EXTRACT_SYSTEM_PROMPT = `You extract information from a web page for a user. Use only what the page (and the data saved earlier) shows; use null for what is missing. Never invent values.
Reply with JSON only.`;

export interface ExtractPromptInput {
  goal: string;
  parentGoal?: string;
  schema?: unknown;
  /** Data saved from earlier pages or earlier parts of the task. */
  earlier?: unknown;
  /** Why the previous reply was rejected (schema mismatch). */
  feedback?: string;
  pageText: string;
}

export function buildExtractPrompt(input: ExtractPromptInput): { system: string; prompt: string } {
  const sections: Section[] = [
    ['GOAL', input.goal],
    ['OVERALL TASK', input.parentGoal && `(context only) ${input.parentGoal}`],
    ['REPLY FORMAT', schemaLines(input.schema) ?? 'A JSON object with the information the goal asks for.'],
    ['DATA SAVED EARLIER', input.earlier !== undefined && input.earlier !== null &&
      `${compactJson(input.earlier, 8000)}\nYour reply must include this data, merged with what this page adds (no duplicates).`],
    ['PROBLEM WITH YOUR LAST REPLY', input.feedback],
    ...pageSection(input.pageText),
  ];
  return { system: EXTRACT_SYSTEM_PROMPT, prompt: renderSections(sections) };
}
