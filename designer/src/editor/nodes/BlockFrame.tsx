// The frame every block node shares: header (icon, title, id, validation badges), a body that each
// category fills in its own way, and one source handle per exit, labelled with the exit's name.
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import type { Block, BlockDescription } from '../../../../flows/index.ts';
import { PathIcon } from '../../ui/Icon.tsx';
import { describe } from '../blocks/catalogue.ts';
import { categoryStyle } from '../blocks/categories.ts';
import { blockExits } from '../blocks/exits.ts';
import { useBlockProblems, useSimStatus } from '../stores.tsx';

export interface BlockNodeData extends Record<string, unknown> {
  readonly blockId: string;
  readonly block: Block;
  readonly entry: boolean;
  readonly readOnly: boolean;
}

export function BlockFrame({ id, data, selected, children }: { id: string; data: BlockNodeData; selected: boolean; children?: ReactNode }) {
  const { t } = useTranslation();
  const { block } = data;
  const description: BlockDescription | undefined = describe(block.type);
  const style = categoryStyle(description?.category);
  const { defined, unknown } = blockExits(block);
  const problems = useBlockProblems(id);
  const sim = useSimStatus(id);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const updateInternals = useUpdateNodeInternals();
  const exitKey = [...defined, '|', ...unknown].join('\u0001');
  // Handles are measured once; when exits are renamed without the node changing size (a Menu
  // choice edited), React Flow must measure them again or wires attach to stale positions.
  // (Not on mount: React Flow measures new nodes itself, and 500 forced measurements cost seconds.)
  const measuredKey = useRef(exitKey);
  useEffect(() => {
    if (measuredKey.current === exitKey) return;
    measuredKey.current = exitKey;
    updateInternals(id);
  }, [exitKey, id, updateInternals]);

  const hasInput = !data.entry && block.type !== 'Start' && block.type !== 'Finally';
  const title = block.label !== '' ? block.label : (description?.label ?? block.type);
  const wiredOf = useMemo(() => new Set(Object.entries(block.exits).filter(([, t]) => t !== null).map(([e]) => e)), [block.exits]);
  const exitProblems = new Set(problems.filter((p) => p.field?.startsWith('exits.')).map((p) => p.field!.slice(6)));

  const classes = ['block-node'];
  if (selected) classes.push('is-selected');
  if (sim === 'active') classes.push('is-active');
  if (sim === 'visited') classes.push('is-visited');
  if (errors.length > 0) classes.push('has-errors');
  if (description === undefined) classes.push('is-unknown');

  return (
    <div className={classes.join(' ')} style={{ ['--accent' as string]: style.color, ['--tint' as string]: style.tint }} data-testid="block-node" data-block-id={id} data-block-type={block.type}>
      {/* Start and Finally take no input; the handle stays (hidden) so a wire an imported document
          draws into them still renders and can be seen and removed. */}
      <Handle type="target" position={Position.Left} id="in" className={hasInput ? 'handle-in' : 'handle-in is-hidden'} isConnectable={hasInput && !data.readOnly} />
      <div className="block-node-header">
        <span className="block-node-icon">
          <PathIcon d={style.icon} size={15} color={style.color} />
        </span>
        <div className="block-node-titles">
          <div className="block-node-title" title={title}>
            {title}
          </div>
          <div className="block-node-sub">
            {description === undefined ? `${t('designer.canvas.unknownType', { type: block.type })} · ` : block.label === '' || block.label === description.label ? null : `${description.label} · `}
            <span className="mono">{id}</span>
          </div>
        </div>
        <div className="block-node-badges">
          {errors.length > 0 ? (
            <span className="badge badge-error" data-testid="badge-error" title={errors.map((p) => p.message).join('\n')} aria-label={t('designer.toolbar.errors', { count: errors.length })}>
              {errors.length}
            </span>
          ) : null}
          {warnings.length > 0 ? (
            <span className="badge badge-warning" data-testid="badge-warning" title={warnings.map((p) => p.message).join('\n')} aria-label={t('designer.toolbar.warnings', { count: warnings.length })}>
              {warnings.length}
            </span>
          ) : null}
        </div>
      </div>
      {children}
      {defined.length + unknown.length > 0 ? (
        <div className="block-node-exits">
          {[...defined, ...unknown].map((exit) => {
            const isUnknown = !defined.includes(exit);
            const cls = ['exit-row'];
            if (!wiredOf.has(exit)) cls.push('is-unwired');
            if (isUnknown) cls.push('is-unknown');
            if (exitProblems.has(exit)) cls.push('has-problem');
            return (
              <div key={exit} className={cls.join(' ')} data-exit={exit}>
                <span className="exit-name">{exit}</span>
                <Handle type="source" position={Position.Right} id={exit} className="handle-out" isConnectable={!data.readOnly} />
              </div>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
