import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { type FieldError, fieldErrorsFromZod } from "../validation.ts";
import { type ImportFile, importFileSchema } from "./import.schema.ts";

/** A problem in an import file, with where to find it (1-based line and column). */
export interface ImportError extends FieldError {
  line: number;
  column: number;
}

export type ImportResult = { ok: true; value: ImportFile } | { ok: false; errors: ImportError[] };

/** "principles[2].statement.de" → ["principles", 2, "statement", "de"] */
function pathSegments(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] === undefined ? (match[1] ?? "") : Number(match[2])));
}

/** Start offset of the deepest node that exists along the path (a missing field points at its parent). */
function offsetOf(document: Document, path: string): number {
  let node: unknown = document.contents;
  let offset = document.contents?.range?.[0] ?? 0;
  for (const segment of pathSegments(path)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === segment);
      if (!pair) break;
      // The key's position reads better than the value's for nested blocks.
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

/**
 * Parses an import file and validates every record in it. Reports ALL problems, each with
 * line, column and field path, so that an editor can fix the file in one go.
 */
export function parseImportYaml(text: string): ImportResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return {
          path: "",
          code: "yaml-syntax",
          message: { de: `Die Datei ist kein gültiges YAML: ${error.message}`, en: `The file is not valid YAML: ${error.message}` },
          line: position.line,
          column: position.col,
        };
      }),
    };
  }
  const parsed = importFileSchema.safeParse(document.toJS() ?? {}, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = fieldErrorsFromZod(parsed.error).map((error) => {
    const position = lineCounter.linePos(offsetOf(document, error.path));
    return { ...error, line: position.line, column: position.col };
  });
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line || a.column - b.column) };
}
