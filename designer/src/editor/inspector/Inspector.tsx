// The side panel for what is selected: a block (label, settings form, exits, problems), a wire,
// several blocks, or — with nothing selected — the project itself (name, description, variables).
import { useMemo, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { JsonValue, Problem, Project } from '../../../../flows/index.ts';
import { Icon, PathIcon } from '../../ui/Icon.tsx';
import { describe } from '../blocks/catalogue.ts';
import { categoryLabel, categoryStyle } from '../blocks/categories.ts';
import { blockExits } from '../blocks/exits.ts';
import { asSchema } from '../blocks/schema.ts';
import { canConnect } from '../model/connections.ts';
import { connect, deletable, setParams, updateBlock } from '../model/document.ts';
import { parseEdgeId, type Selection } from '../model/editor-state.ts';
import { useAllProblems, useBlockProblems } from '../stores.tsx';
import { SchemaForm, type FieldMessages } from './SchemaForm.tsx';
import { channelLabel } from '../../app/channels.ts';
import { formatNumber } from '../../admin/kit/format.ts';

export interface InspectorProps {
  readonly doc: Project;
  readonly selection: Selection;
  readonly readOnly: boolean;
  onEdit(doc: Project, key?: string): void;
  onDelete(): void;
  onSelectBlock(id: string): void;
}

export function Inspector(props: InspectorProps) {
  const { selection, doc } = props;
  if (selection.nodes.size === 1) {
    const id = [...selection.nodes][0]!;
    if (Object.hasOwn(doc.blocks, id)) return <BlockInspector key={id} id={id} {...props} />;
  }
  if (selection.nodes.size > 1) return <MultiInspector {...props} />;
  if (selection.edges.size === 1 && selection.nodes.size === 0) {
    const wire = parseEdgeId([...selection.edges][0]!);
    if (wire !== null) return <WireInspector wire={wire} {...props} />;
  }
  return <ProjectInspector {...props} />;
}

function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="inspector-section">
      <div className="inspector-section-title">
        <h3>{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

function ProblemList({ problems, onSelectBlock }: { problems: readonly Problem[]; onSelectBlock?: (id: string) => void }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problem-list" data-testid="inspector-problems">
      {problems.map((p, i) => (
        <li key={i} className={`problem problem-${p.severity}`}>
          <Icon name={p.severity === 'error' ? 'error' : 'warning'} size={14} />
          <span>
            {p.field === null ? null : <span className="problem-field">{p.field.replace(/^params\./, '')}</span>}
            {p.message}
          </span>
          {onSelectBlock !== undefined && p.blockId !== null ? (
            <button type="button" className="link-button" onClick={() => onSelectBlock(p.blockId!)}>
              {p.blockId}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function BlockInspector({ id, doc, readOnly, onEdit, onDelete, onSelectBlock }: InspectorProps & { id: string }) {
  const { t } = useTranslation();
  const block = doc.blocks[id]!;
  const description = describe(block.type);
  const style = categoryStyle(description?.category);
  const problems = useBlockProblems(id);
  const { defined, unknown } = blockExits(block);
  const schema = asSchema(description?.paramsSchema);
  const messages: FieldMessages = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const p of problems) {
      if (p.field === null || !p.field.startsWith('params.')) continue;
      const key = p.field.slice('params.'.length);
      map.set(key, [...(map.get(key) ?? []), p.message]);
    }
    return map;
  }, [problems]);
  const blockLevel = problems.filter((p) => p.field === null || !p.field.startsWith('params.'));
  // Every block a wire from here may reach (the same rule the canvas applies to drawn wires).
  const targets = Object.entries(doc.blocks).filter(([other]) => [...defined, ...unknown].some((exit) => canConnect(doc, id, exit, other)));
  const canDelete = !readOnly && deletable(doc, [id]).length > 0;

  return (
    <div className="inspector" data-testid="inspector" data-block-id={id}>
      <header className="inspector-head">
        <span className="inspector-icon" style={{ background: style.tint }}>
          <PathIcon d={style.icon} size={18} color={style.color} />
        </span>
        <div className="inspector-head-text">
          <h2>{description?.label ?? block.type}</h2>
          <div className="muted small">
            <span className="mono">{id}</span> · {categoryLabel(description?.category)}
            {description === undefined ? null : ` · ${t('designer.inspector.blockVersion', { version: description.version })}`}
          </div>
        </div>
      </header>
      {description === undefined ? null : <p className="inspector-desc">{description.description}</p>}

      <Section title={t('designer.inspector.general')}>
        <div className="field">
          <label className="field-label" htmlFor={`label-${id}`}>
            {t('designer.inspector.label')}
          </label>
          <input
            id={`label-${id}`}
            value={block.label}
            placeholder={description?.label ?? block.type}
            maxLength={200}
            disabled={readOnly}
            onChange={(e) => onEdit(updateBlock(doc, id, { label: e.target.value }), `label:${id}`)}
          />
        </div>
      </Section>

      {blockLevel.length === 0 ? null : (
        <Section title={t('designer.inspector.problems')}>
          <ProblemList problems={blockLevel} />
        </Section>
      )}

      <Section title={t('designer.inspector.settings')}>
        <SchemaForm schema={schema} value={block.params} messages={messages} disabled={readOnly} onChange={(params, field) => onEdit(setParams(doc, id, params), `params:${id}:${field}`)} />
      </Section>

      {defined.length + unknown.length === 0 ? null : (
        <Section title={t('designer.inspector.exits')}>
          <div className="exit-table">
            {[...defined, ...unknown].map((exit) => {
              const target = block.exits[exit] ?? null;
              const selectId = `exit-${id}-${exit}`;
              return (
                <div key={exit} className="exit-table-row">
                  <label htmlFor={selectId} className="exit-table-name">
                    <span className="exit-dot" aria-hidden />
                    {exit}
                    {unknown.includes(exit) ? <span className="chip chip-warn">{t('designer.inspector.notAnExit')}</span> : null}
                  </label>
                  <select
                    id={selectId}
                    value={target ?? ''}
                    disabled={readOnly}
                    aria-label={t('designer.inspector.exitTarget', { exit })}
                    onChange={(e) => onEdit(connect(doc, id, exit, e.target.value === '' ? null : e.target.value))}
                  >
                    <option value="">{t('designer.inspector.notConnected')}</option>
                    {targets
                      .filter(([other]) => other !== id)
                      .map(([other, b]) => (
                        <option key={other} value={other}>
                          {b.label || describe(b.type)?.label || b.type} ({other})
                        </option>
                      ))}
                    {target !== null && !targets.some(([other]) => other === target) ? <option value={target}>{t('designer.inspector.notAllowed', { target })}</option> : null}
                  </select>
                  {target === null ? null : (
                    <button type="button" className="icon-button" aria-label={t('designer.inspector.goTo', { target })} title={t('designer.inspector.selectTarget')} onClick={() => onSelectBlock(target)}>
                      <Icon name="chevronRight" size={14} />
                    </button>
                  )}
                </div>
              );
            })}
          </div>
        </Section>
      )}

      {canDelete ? (
        <div className="inspector-footer">
          <button type="button" className="btn btn-ghost btn-danger-text" onClick={onDelete}>
            <Icon name="trash" /> {t('designer.inspector.deleteBlock')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function MultiInspector({ doc, selection, readOnly, onDelete }: InspectorProps) {
  const { t } = useTranslation();
  const ids = [...selection.nodes];
  const removable = deletable(doc, ids).length;
  return (
    <div className="inspector" data-testid="inspector">
      <header className="inspector-head">
        <div className="inspector-head-text">
          <h2>{t('designer.inspector.selected', { count: ids.length })}</h2>
          <div className="muted small">{selection.edges.size > 0 ? t('designer.inspector.andWires', { count: selection.edges.size }) : t('designer.inspector.multiHint')}</div>
        </div>
      </header>
      <ul className="plain-list selection-list">
        {ids.slice(0, 30).map((id) => (
          <li key={id}>
            <span className="mono">{id}</span> <span className="muted">{describe(doc.blocks[id]?.type ?? '')?.label}</span>
          </li>
        ))}
      </ul>
      {!readOnly && removable > 0 ? (
        <div className="inspector-footer">
          <button type="button" className="btn btn-ghost btn-danger-text" onClick={onDelete}>
            <Icon name="trash" /> {t('designer.inspector.deleteBlocks', { count: removable })}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function WireInspector({ wire, doc, readOnly, onDelete, onSelectBlock }: InspectorProps & { wire: { source: string; exit: string } }) {
  const { t } = useTranslation();
  const target = doc.blocks[wire.source]?.exits[wire.exit] ?? null;
  return (
    <div className="inspector" data-testid="inspector">
      <header className="inspector-head">
        <div className="inspector-head-text">
          <h2>{t('designer.inspector.wire')}</h2>
          <div className="muted small">
            <Trans i18nKey="designer.inspector.wireOf" values={{ exit: wire.exit, source: wire.source }} components={{ b: <strong />, code: <span className="mono" /> }} />
          </div>
        </div>
      </header>
      <div className="wire-summary">
        <button type="button" className="link-button mono" onClick={() => onSelectBlock(wire.source)}>
          {wire.source}
        </button>
        <span className="chip">{wire.exit}</span>
        <Icon name="chevronRight" />
        {target === null ? <span className="muted">{t('designer.inspector.nothing')}</span> : (
          <button type="button" className="link-button mono" onClick={() => onSelectBlock(target)}>
            {target}
          </button>
        )}
      </div>
      {readOnly ? null : (
        <div className="inspector-footer">
          <button type="button" className="btn btn-ghost btn-danger-text" onClick={onDelete}>
            <Icon name="trash" /> {t('designer.inspector.removeWire')}
          </button>
        </div>
      )}
    </div>
  );
}

type VariableKind = 'text' | 'number' | 'boolean' | 'empty' | 'json';

function kindOf(value: JsonValue): VariableKind {
  if (value === null) return 'empty';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

function ProjectInspector({ doc, readOnly, onEdit, onSelectBlock }: InspectorProps) {
  const { t } = useTranslation();
  const problems = useAllProblems();
  const projectLevel = problems.filter((p) => p.blockId === null);
  const variables = Object.entries(doc.variables);
  const setVariables = (next: Project['variables'], key?: string) => onEdit({ ...doc, variables: next }, key);
  const counts = { errors: problems.filter((p) => p.severity === 'error').length, warnings: problems.filter((p) => p.severity === 'warning').length };
  return (
    <div className="inspector" data-testid="inspector-project">
      <header className="inspector-head">
        <div className="inspector-head-text">
          <h2>{t('designer.inspector.project')}</h2>
          <div className="muted small">
            {channelLabel(doc.channel)} · {t('designer.inspector.blocks', { count: Object.keys(doc.blocks).length, formatted: formatNumber(Object.keys(doc.blocks).length) })} ·{' '}
            {t('designer.toolbar.errors', { count: counts.errors })} · {t('designer.toolbar.warnings', { count: counts.warnings })}
          </div>
        </div>
      </header>
      <p className="inspector-desc">{readOnly ? t('designer.inspector.projectHintReadOnly') : t('designer.inspector.projectHint')}</p>
      <Section title={t('designer.inspector.general')}>
        <div className="field">
          <label className="field-label" htmlFor="project-name">
            {t('common.name')}
          </label>
          <input id="project-name" value={doc.name} maxLength={200} disabled={readOnly} onChange={(e) => onEdit({ ...doc, name: e.target.value }, 'project:name')} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="project-description">
            {t('common.description')}
          </label>
          <textarea id="project-description" rows={3} value={doc.description} maxLength={2000} disabled={readOnly} onChange={(e) => onEdit({ ...doc, description: e.target.value }, 'project:description')} />
        </div>
      </Section>
      {projectLevel.length === 0 ? null : (
        <Section title={t('designer.inspector.projectProblems')}>
          <ProblemList problems={projectLevel} onSelectBlock={onSelectBlock} />
        </Section>
      )}
      <Section
        title={t('designer.inspector.variables')}
        aside={
          readOnly ? null : (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => {
                let n = variables.length + 1;
                while (Object.hasOwn(doc.variables, `VAR_${n}`)) n++;
                setVariables({ ...doc.variables, [`VAR_${n}`]: { default: '', description: '' } });
              }}
            >
              <Icon name="plus" size={14} /> {t('common.add')}
            </button>
          )
        }
      >
        {variables.length === 0 ? <p className="muted small">{t('designer.inspector.noVariables')}</p> : null}
        <div className="variable-list">
          {variables.map(([name, declaration], index) => (
            <div key={index} className="variable-row">
              <input
                aria-label={t('designer.inspector.variableName', { n: index + 1 })}
                className="mono"
                value={name}
                disabled={readOnly}
                onChange={(e) => {
                  const renamed = e.target.value;
                  if (renamed === name || renamed === '' || Object.hasOwn(doc.variables, renamed)) return;
                  setVariables(Object.fromEntries(variables.map(([n, d]) => (n === name ? [renamed, d] : [n, d]))), `var:${index}:name`);
                }}
              />
              <select
                aria-label={t('designer.inspector.variableType', { n: index + 1 })}
                value={kindOf(declaration.default)}
                disabled={readOnly}
                onChange={(e) => {
                  const kind = e.target.value as VariableKind;
                  const value: JsonValue = kind === 'text' ? '' : kind === 'number' ? 0 : kind === 'boolean' ? false : kind === 'empty' ? null : [];
                  setVariables({ ...doc.variables, [name]: { ...declaration, default: value } });
                }}
              >
                <option value="text">{t('designer.inspector.kinds.text')}</option>
                <option value="number">{t('designer.inspector.kinds.number')}</option>
                <option value="boolean">{t('designer.inspector.kinds.boolean')}</option>
                <option value="empty">{t('designer.inspector.kinds.empty')}</option>
                <option value="json">{t('designer.inspector.kinds.json')}</option>
              </select>
              <VariableDefault value={declaration.default} disabled={readOnly} index={index} onChange={(v) => setVariables({ ...doc.variables, [name]: { ...declaration, default: v } }, `var:${index}:default`)} />
              {readOnly ? null : (
                <button type="button" className="icon-button" aria-label={t('designer.inspector.removeVariable', { name })} onClick={() => setVariables(Object.fromEntries(variables.filter(([n]) => n !== name)))}>
                  <Icon name="close" size={14} />
                </button>
              )}
            </div>
          ))}
        </div>
      </Section>
    </div>
  );
}

function VariableDefault({ value, disabled, index, onChange }: { value: JsonValue; disabled: boolean; index: number; onChange: (v: JsonValue) => void }) {
  const { t } = useTranslation();
  const label = t('designer.inspector.variableDefault', { n: index + 1 });
  switch (kindOf(value)) {
    case 'text':
      return <input aria-label={label} value={value as string} disabled={disabled} onChange={(e) => onChange(e.target.value)} />;
    case 'number':
      return <input aria-label={label} type="number" value={value as number} disabled={disabled} onChange={(e) => onChange(Number(e.target.value) || 0)} />;
    case 'boolean':
      return (
        <select aria-label={label} value={String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value === 'true')}>
          <option value="true">{t('common.yes')}</option>
          <option value="false">{t('common.no')}</option>
        </select>
      );
    case 'empty':
      return <span className="muted small variable-empty">{t('designer.inspector.empty')}</span>;
    case 'json':
      return <span className="mono small variable-empty">{JSON.stringify(value).slice(0, 40)}</span>;
  }
}
