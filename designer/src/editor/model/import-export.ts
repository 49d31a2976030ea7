// Projects as files: export writes the draft as it is; import reads a file the user picked, which
// may be anything (not JSON, huge, hostile, from a newer Tandem, full of unknown blocks), and
// either returns a project or says clearly why not. Nothing is sent to the server before that.
import { tryLoadProject, validateProject, type Project } from '../../../../flows/index.ts';
import { formatBytes } from '../../admin/kit/format.ts';
import { i18next } from '../../i18n/index.ts';

/** Larger files are refused before being read (the server's default body limit is 1 MiB). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export type ImportResult = { readonly ok: true; readonly project: Project } | { readonly ok: false; readonly message: string; readonly details: readonly string[] };

export function checkImportSize(bytes: number): ImportResult | null {
  if (bytes <= MAX_IMPORT_BYTES) return null;
  return {
    ok: false,
    message: i18next.t('designer.importProject.tooLarge', { size: formatBytes(bytes), limit: formatBytes(MAX_IMPORT_BYTES) }),
    details: [],
  };
}

export function parseImport(text: string): ImportResult {
  const size = checkImportSize(new TextEncoder().encode(text).length);
  if (size !== null) return size;
  const loaded = tryLoadProject(text);
  if (!loaded.ok) {
    return {
      ok: false,
      message: i18next.t('designer.importProject.notAProject', { reason: loaded.error.message }),
      details: loaded.error.issues.slice(0, 8).map((i) => `${i.path || i18next.t('designer.importProject.document')}: ${i.message}`),
    };
  }
  // Unknown block types would import as blocks nobody can edit or run: refuse the whole file.
  const unknown = validateProject(loaded.project).problems.filter((p) => p.code === 'unknown-block-type');
  if (unknown.length > 0) {
    return {
      ok: false,
      message: i18next.t('designer.importProject.unknownBlocks', { count: unknown.length }),
      details: unknown.slice(0, 8).map((p) => `${p.blockId ?? i18next.t('designer.importProject.project')}: ${p.message}`),
    };
  }
  return { ok: true, project: loaded.project };
}

export function exportText(project: Project): string {
  return `${JSON.stringify(project, null, 2)}\n`;
}

export function exportFileName(project: Pick<Project, 'name'>): string {
  const base = project.name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return `${base || 'project'}.tandem-ivr.json`;
}

