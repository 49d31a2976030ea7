// Tools → Dispositions: the one catalogue agents finish calls and chats with (GET /api/dispositions,
// as far as the account's scope reaches). Shown as a tree table (depth first, indented by level),
// filtered by scope in the address (?scope=website&websiteId=3, what the website editor links to).
// Add at the top or below a node (three levels at most), rename, move up/down among the siblings
// (buttons, so the keyboard reaches them), delete behind ConfirmDialog saying how many go with it.
// Forms are checked with the API's own schemas (contracts/dispositions.ts) before they are sent.
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dispositionCreateSchema, dispositionNameSchema, DISPOSITION_SCOPES, MAX_DISPOSITION_LEVEL, type Disposition, type DispositionScope } from '../../../../contracts/dispositions.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { navigate, useLocation } from '../../app/router.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { DeleteDialog, PageHeader, useDeletion } from '../kit/crud.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { FormDialog } from '../kit/FormDialog.tsx';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';

const LIST = '/api/dispositions';
const PAGE_PATH = '/admin/tools/dispositions';

interface Named {
  readonly id: number;
  readonly name: string;
}

/** The part of the catalogue the address names. */
interface Filter {
  scope: DispositionScope | null;
  queueId: number | null;
  websiteId: number | null;
}

function filterIn(location: string): Filter {
  const params = new URL(location, 'http://app.invalid').searchParams;
  const scope = params.get('scope');
  const id = (name: string) => {
    const n = Number(params.get(name));
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  return { scope: (DISPOSITION_SCOPES as readonly string[]).includes(scope ?? '') ? (scope as DispositionScope) : null, queueId: id('queueId'), websiteId: id('websiteId') };
}

function queryOf(f: Filter): string {
  const params = new URLSearchParams();
  if (f.scope) params.set('scope', f.scope);
  if (f.scope === 'queue' && f.queueId) params.set('queueId', String(f.queueId));
  if (f.scope === 'website' && f.websiteId) params.set('websiteId', String(f.websiteId));
  const q = params.toString();
  return q ? `?${q}` : '';
}

/** What the dialog in use is doing: creating (at the top or below a node) or renaming a node. */
type Editing = { kind: 'create'; parent: Disposition | null } | { kind: 'rename'; node: Disposition } | null;

export function DispositionsPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const filter = filterIn(useLocation());
  const query = queryOf(filter);
  const list = useApiQuery<Disposition[]>(`${LIST}${query}`);
  const queues = useApiQuery<Named[]>('/api/queues');
  const websites = useApiQuery<Named[]>('/api/chat/websites', { enabled: can(account, 'chat', 'read') });
  const mayEdit = can(account, 'settings', 'edit');
  const mayDelete = can(account, 'settings', 'delete');
  const isSupervisor = account.role === 'supervisor';
  const mayChange = (d: Disposition) => mayEdit && !(isSupervisor && d.scope === 'global');
  const [editing, setEditing] = useState<Editing>(null);
  const deletion = useDeletion<Disposition>(LIST);
  const { setDeleting } = deletion;
  const move = useApiMutation((api, input: { node: Disposition; position: number }) => api.patch<Disposition>(`${LIST}/${input.node.id}`, { position: input.position }), [LIST]);

  const rows = useMemo(() => list.data ?? [], [list.data]);
  const queueName = useMemo(() => new Map((queues.data ?? []).map((q) => [q.id, q.name])), [queues.data]);
  const websiteName = useMemo(() => new Map((websites.data ?? []).map((w) => [w.id, w.name])), [websites.data]);
  const scopeText = (d: Pick<Disposition, 'scope' | 'queueId' | 'websiteId'>) =>
    d.scope === 'queue' ? t('dispositions.queueLabel', { name: queueName.get(d.queueId!) ?? `#${d.queueId}` }) : d.scope === 'website' ? t('dispositions.websiteLabel', { name: websiteName.get(d.websiteId!) ?? `#${d.websiteId}` }) : t('dispositions.scopes.global');

  const columns = useMemo<ColumnDef<Disposition>[]>(() => {
    const siblingsOf = (d: Disposition) => rows.filter((r) => r.parentId === d.parentId && r.scope === d.scope && r.queueId === d.queueId && r.websiteId === d.websiteId);
    return [
      {
        id: 'name',
        header: t('dispositions.name'),
        enableSorting: false,
        enableHiding: false,
        accessorFn: (d) => d.path,
        cell: (c) => (
          <span className="disposition-name" style={{ paddingInlineStart: `${(c.row.original.level - 1) * 1.5}rem` }} title={c.row.original.path}>
            {c.row.original.level > 1 ? <span aria-hidden="true">└ </span> : null}
            {c.row.original.name}
          </span>
        ),
      },
      { id: 'level', header: t('dispositions.level'), enableSorting: false, accessorFn: (d) => d.level },
      { id: 'scope', header: t('dispositions.scope'), enableSorting: false, accessorFn: (d) => scopeText(d) },
      {
        id: 'actions',
        header: t('dispositions.actions'),
        enableSorting: false,
        enableHiding: false,
        cell: (c) => {
          const d = c.row.original;
          if (!mayChange(d)) return null;
          const siblings = siblingsOf(d);
          const at = siblings.findIndex((s) => s.id === d.id);
          return (
            <span className="row-gap" style={{ display: 'inline-flex', flexWrap: 'wrap' }}>
              {d.level < MAX_DISPOSITION_LEVEL ? (
                <button type="button" className="btn btn-sm" onClick={() => setEditing({ kind: 'create', parent: d })} aria-label={t('dispositions.addChildLabel', { path: d.path })}>
                  {t('dispositions.addChild')}
                </button>
              ) : null}
              <button type="button" className="btn btn-sm" onClick={() => setEditing({ kind: 'rename', node: d })} aria-label={t('dispositions.renameLabel', { path: d.path })}>
                {t('dispositions.rename')}
              </button>
              <button type="button" className="btn btn-sm" disabled={at <= 0 || move.isPending} onClick={() => move.mutate({ node: d, position: at - 1 })} aria-label={t('dispositions.moveUpLabel', { path: d.path })}>
                {t('dispositions.moveUp')}
              </button>
              <button
                type="button"
                className="btn btn-sm"
                disabled={at < 0 || at >= siblings.length - 1 || move.isPending}
                onClick={() => move.mutate({ node: d, position: at + 1 })}
                aria-label={t('dispositions.moveDownLabel', { path: d.path })}
              >
                {t('dispositions.moveDown')}
              </button>
              {mayDelete ? (
                <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(d)} aria-label={t('dispositions.deleteLabel', { path: d.path })}>
                  {t('dispositions.delete')}
                </button>
              ) : null}
            </span>
          );
        },
      },
    ];
    // scopeText and mayChange read the maps and rights listed here.
  }, [t, rows, queueName, websiteName, mayEdit, mayDelete, isSupervisor, move.isPending, setDeleting]);

  const setFilter = (next: Filter) => navigate(`${PAGE_PATH}${queryOf(next)}`);

  return (
    <div className="page" data-testid="dispositions-page">
      <PageHeader title={t('dispositions.title')} intro={t('dispositions.intro')} add={mayEdit ? { label: t('dispositions.add'), onClick: () => setEditing({ kind: 'create', parent: null }) } : null} />
      {mayEdit ? null : <p className="muted">{t('dispositions.readOnly')}</p>}
      {mayEdit && isSupervisor ? <p className="muted">{t('dispositions.globalOnlyAdmins')}</p> : null}
      <form className="admin-inline-form" role="search" aria-label={t('dispositions.filterForm')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('dispositions.filter')}>
          {(props) => (
            <select {...props} name="scope" value={filter.scope ?? ''} onChange={(e) => setFilter({ scope: (e.target.value || null) as DispositionScope | null, queueId: null, websiteId: null })}>
              <option value="">{t('dispositions.filterAll')}</option>
              {DISPOSITION_SCOPES.map((s) => (
                <option key={s} value={s}>
                  {t(`dispositions.scopes.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {filter.scope === 'queue' ? (
          <NamedSelect label={t('dispositions.queue')} name="queueId" any={t('dispositions.anyQueue')} options={queues.data ?? []} value={filter.queueId} onChange={(queueId) => setFilter({ ...filter, queueId })} />
        ) : null}
        {filter.scope === 'website' ? (
          <NamedSelect label={t('dispositions.website')} name="websiteId" any={t('dispositions.anyWebsite')} options={websites.data ?? []} value={filter.websiteId} onChange={(websiteId) => setFilter({ ...filter, websiteId })} />
        ) : null}
      </form>
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      {move.error ? <FormError message={describeError(move.error)} /> : null}
      <DataTable label={t('dispositions.title')} columns={columns} rows={rows} rowId={(d) => String(d.id)} loading={list.isPending} pageSize={500} searchable={false} testId="dispositions-table" />
      {!list.isPending && rows.length === 0 ? <p className="muted">{t('dispositions.empty')}</p> : null}
      {editing ? (
        <DispositionDialog
          editing={editing}
          filter={filter}
          queues={queues.data ?? []}
          websites={websites.data ?? []}
          isSupervisor={isSupervisor}
          onClose={() => setEditing(null)}
          onSaved={(d) => {
            toast('success', editing.kind === 'create' ? t('dispositions.created_toast', { path: d.path }) : t('dispositions.renamed_toast', { path: d.path }));
            setEditing(null);
          }}
        />
      ) : null}
      <DeleteDialog
        deletion={deletion}
        title={(d) => t('dispositions.deleteTitle', { path: d.path })}
        confirmLabel={t('dispositions.deleteConfirm')}
        deletedToast={(d) => t('dispositions.deleted_toast', { path: d.path })}
        body={
          deletion.deleting ? (
            <>
              {deletion.deleting.descendants > 0 ? <p data-testid="disposition-children">{t('dispositions.deleteChildren', { count: deletion.deleting.descendants })}</p> : null}
              <p>{t('dispositions.deleteBody')}</p>
            </>
          ) : null
        }
      />
    </div>
  );
}

const CREATE_FIELDS = ['name', 'scope', 'queueId', 'websiteId', 'parentId'] as const;

/** Creates a disposition (at the top, in a scope; or below a node) or renames one. */
function DispositionDialog({
  editing,
  filter,
  queues,
  websites,
  isSupervisor,
  onClose,
  onSaved,
}: {
  editing: NonNullable<Editing>;
  filter: Filter;
  queues: readonly Named[];
  websites: readonly Named[];
  isSupervisor: boolean;
  onClose: () => void;
  onSaved: (d: Disposition) => void;
}) {
  const { t } = useTranslation();
  const renaming = editing.kind === 'rename' ? editing.node : null;
  const parent = editing.kind === 'create' ? editing.parent : null;
  const [name, setName] = useState(renaming?.name ?? '');
  const [scope, setScope] = useState<DispositionScope>(filter.scope ?? (isSupervisor ? 'queue' : 'global'));
  const [queueId, setQueueId] = useState(filter.queueId ? String(filter.queueId) : '');
  const [websiteId, setWebsiteId] = useState(filter.websiteId ? String(filter.websiteId) : '');
  const [local, setLocal] = useState<FormErrors | null>(null);
  const save = useApiMutation(
    async (api, body: Record<string, unknown>) => (renaming ? (await api.patch<Disposition>(`${LIST}/${renaming.id}`, body)).body : api.post<Disposition>(LIST, body)),
    [LIST],
  );
  const errors = local ?? formErrorsOf(save.error, CREATE_FIELDS);
  const formId = 'disposition-form';
  const title = renaming ? t('dispositions.renameTitle', { path: renaming.path }) : parent ? t('dispositions.addChildTitle', { path: parent.path }) : t('dispositions.addTitle');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    let body: Record<string, unknown>;
    if (renaming) {
      const checked = checkAgainst(dispositionNameSchema, name);
      if (!checked.ok) return setLocal({ fields: { name: checked.errors.fields['(body)'] ?? '' }, form: null });
      body = { name: checked.data };
    } else {
      const candidate = parent
        ? { name, parentId: parent.id }
        : { name, scope, ...(scope === 'queue' ? { queueId: queueId ? Number(queueId) : undefined } : {}), ...(scope === 'website' ? { websiteId: websiteId ? Number(websiteId) : undefined } : {}) };
      const checked = checkAgainst(dispositionCreateSchema, candidate);
      if (!checked.ok) return setLocal(checked.errors);
      body = checked.data;
    }
    setLocal(null);
    save.mutate(body, { onSuccess: onSaved });
  };

  return (
    <FormDialog title={title} onClose={onClose} testId="disposition-dialog" formId={formId} submitLabel={renaming ? t('dispositions.save') : t('dispositions.create')} submitDisabled={save.isPending}>
      <form id={formId} onSubmit={submit} noValidate>
        <Field label={t('dispositions.name')} error={errors.fields.name} required>
          {(props) => <input {...props} name="name" value={name} autoFocus maxLength={100} onChange={(e) => setName(e.target.value)} />}
        </Field>
        {!renaming && !parent ? (
          <>
            <Field label={t('dispositions.scope')} error={errors.fields.scope} required>
              {(props) => (
                <select {...props} name="scope" value={scope} onChange={(e) => setScope(e.target.value as DispositionScope)}>
                  {DISPOSITION_SCOPES.filter((s) => !(isSupervisor && s === 'global')).map((s) => (
                    <option key={s} value={s}>
                      {t(`dispositions.scopes.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {scope === 'queue' ? (
              <Field label={t('dispositions.queue')} error={errors.fields.queueId} required>
                {(props) => (
                  <select {...props} name="queueId" value={queueId} onChange={(e) => setQueueId(e.target.value)}>
                    <option value="">{t('dispositions.chooseQueue')}</option>
                    {queues.map((q) => (
                      <option key={q.id} value={q.id}>
                        {q.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            {scope === 'website' ? (
              <Field label={t('dispositions.website')} error={errors.fields.websiteId} required>
                {(props) => (
                  <select {...props} name="websiteId" value={websiteId} onChange={(e) => setWebsiteId(e.target.value)}>
                    <option value="">{t('dispositions.chooseWebsite')}</option>
                    {websites.map((w) => (
                      <option key={w.id} value={w.id}>
                        {w.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
          </>
        ) : null}
        <FormError message={errors.form} />
      </form>
    </FormDialog>
  );
}

/** A select of named rows (queues, websites) with an "any" choice first; null when it is chosen. */
function NamedSelect({ label, name, any, options, value, onChange }: { label: string; name: string; any: string; options: readonly { id: number; name: string }[]; value: number | null; onChange: (id: number | null) => void }) {
  return (
    <Field label={label}>
      {(props) => (
        <select {...props} name={name} value={value ?? ''} onChange={(e) => onChange(Number(e.target.value) || null)}>
          <option value="">{any}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
