// One node component per block category (the node types React Flow draws). They share the frame
// and differ in how the body presents the block: prompts for audio, code for logic and
// integrations, a speech bubble for messaging, the destination for call control.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Node, NodeProps, NodeTypes } from '@xyflow/react';
import { summarize, type SummaryLine } from '../blocks/summary.ts';
import { BlockFrame, type BlockNodeData } from './BlockFrame.tsx';

export type BlockFlowNode = Node<BlockNodeData>;
type Props = NodeProps<BlockFlowNode>;

function Lines({ lines, variant }: { lines: readonly SummaryLine[]; variant: 'plain' | 'code' | 'bubble' | 'prompt' | 'target' }) {
  if (lines.length === 0) return null;
  return (
    <div className={`block-node-body body-${variant}`}>
      {lines.map((line) => (
        <div key={line.label} className="summary-line" title={`${line.label}: ${line.value}`}>
          <span className="summary-label">{line.label}</span>
          <span className={line.mono || variant === 'code' ? 'summary-value mono' : 'summary-value'}>{line.value}</span>
        </div>
      ))}
    </div>
  );
}

function StructureNode({ id, data, selected }: Props) {
  const { t } = useTranslation();
  const lines = summarize(data.block);
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      {data.entry ? (
        <div className="block-node-body body-plain">
          <div className="summary-line">
            <span className="entry-pill">{t('designer.canvas.entry')}</span>
            {data.block.params.answer === true ? <span className="summary-value">{t('designer.canvas.answers')}</span> : null}
          </div>
        </div>
      ) : (
        <Lines lines={lines} variant="plain" />
      )}
    </BlockFrame>
  );
}

function CallNode({ id, data, selected }: Props) {
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      <Lines lines={summarize(data.block)} variant="target" />
    </BlockFrame>
  );
}

function AudioNode({ id, data, selected }: Props) {
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      <Lines lines={summarize(data.block)} variant="prompt" />
    </BlockFrame>
  );
}

function LogicNode({ id, data, selected }: Props) {
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      <Lines lines={summarize(data.block)} variant="code" />
    </BlockFrame>
  );
}

function IntegrationNode({ id, data, selected }: Props) {
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      <Lines lines={summarize(data.block)} variant="code" />
    </BlockFrame>
  );
}

function AgentNode({ id, data, selected }: Props) {
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      <Lines lines={summarize(data.block)} variant="plain" />
    </BlockFrame>
  );
}

function MessagingNode({ id, data, selected }: Props) {
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      <Lines lines={summarize(data.block)} variant="bubble" />
    </BlockFrame>
  );
}

function UnknownNode({ id, data, selected }: Props) {
  const { t } = useTranslation();
  return (
    <BlockFrame id={id} data={data} selected={selected}>
      <div className="block-node-body body-plain">
        <div className="summary-line unknown-note">{t('designer.canvas.unknownBlock', { type: data.block.type })}</div>
      </div>
    </BlockFrame>
  );
}

/** Declared once at module scope, as React Flow requires, keyed by block category. */
export const NODE_TYPES: NodeTypes = {
  structure: memo(StructureNode),
  call: memo(CallNode),
  audio: memo(AudioNode),
  logic: memo(LogicNode),
  integration: memo(IntegrationNode),
  agent: memo(AgentNode),
  messaging: memo(MessagingNode),
  unknown: memo(UnknownNode),
};
