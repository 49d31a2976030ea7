// The chat widget as visitors will see it, drawn by the widget's own code (designer/widget: the same
// ChatWidget, views and style sheet that tandem-chat.js carries) with the form's settings, saved or
// not. Instead of the socket to the node it gets a stand-in transport that hands it the draft as the
// server's `config` (and `state: offline` for the offline screen) and answers every request with
// "this is a preview", so nothing typed in the preview reaches the node.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WIDGET_EVENTS, type WidgetConfig } from '../../../../contracts/chat-widget.ts';
import type { ChatTransport } from '../../../widget/src/controller.ts';
import { ChatWidget } from '../../../widget/src/widget.ts';

export type PreviewScreen = 'prechat' | 'offline';
const SCREENS: readonly PreviewScreen[] = ['prechat', 'offline'];

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The contrast of the widget's white text on `hex` (1 to 21), null for what is not #rrggbb. */
export function contrastWithWhite(hex: string): number | null {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return null;
  return 1.05 / (luminance(hex) + 0.05);
}

/** WCAG AA for the widget's text (its header and buttons are under 18 pt). */
const AA_CONTRAST = 4.5;

export function WidgetPreview({ config }: { config: WidgetConfig }) {
  const { t } = useTranslation();
  const frame = useRef<HTMLDivElement>(null);
  const [screen, setScreen] = useState<PreviewScreen>('prechat');
  const latest = useRef(config);
  latest.current = config;
  const deliver = useRef<((event: string, payload: unknown) => void) | null>(null);
  const notSent = t('websites.preview.notSent');

  // A fresh widget per screen (as a visitor arriving while agents are in, or after hours).
  useEffect(() => {
    const container = frame.current;
    if (container === null) return;
    const host = document.createElement('div');
    container.appendChild(host);
    const handlers = new Map<string, (payload: unknown) => void>();
    const transport: ChatTransport = {
      on: (event, handler) => void handlers.set(event, handler),
      emit: (_event, _payload, ack) => ack({ ok: false, error: { code: 'PREVIEW', message: notSent } }),
      close: () => handlers.clear(),
    };
    const widget = new ChatWidget({ websiteKey: 'preview', serverOrigin: window.location.origin, transport, host });
    const send = (event: string, payload: unknown) => handlers.get(event)?.(payload);
    send(WIDGET_EVENTS.config, latest.current);
    if (screen === 'offline') send(WIDGET_EVENTS.state, { status: 'offline' });
    widget.open(false);
    deliver.current = send;
    return () => {
      deliver.current = null;
      widget.destroy();
    };
  }, [screen, notSent]);

  // Every change of the form reaches the open widget as a new config, as a save would.
  useEffect(() => {
    deliver.current?.(WIDGET_EVENTS.config, config);
  }, [config]);

  const contrast = contrastWithWhite(config.color);
  return (
    <section className="admin-fieldset" aria-labelledby="widget-preview-title" data-testid="widget-preview-section">
      <h2 id="widget-preview-title" className="small">
        {t('websites.sections.preview')}
      </h2>
      <p className="muted small">{t('websites.preview.note')}</p>
      <fieldset className="widget-preview-screens">
        <legend className="sr-only">{t('websites.preview.screen')}</legend>
        <span className="small" aria-hidden>
          {t('websites.preview.screen')}:
        </span>
        {SCREENS.map((s) => (
          <label key={s}>
            <input type="radio" name="preview-screen" value={s} checked={screen === s} onChange={() => setScreen(s)} />
            {t(`websites.preview.screens.${s}`)}
          </label>
        ))}
      </fieldset>
      {contrast !== null && contrast < AA_CONTRAST ? (
        <p className="field-error" role="status" data-testid="contrast-warning">
          {t('websites.preview.contrast', { color: config.color, ratio: contrast.toFixed(1) })}
        </p>
      ) : null}
      <div className="widget-preview-frame" ref={frame} data-testid="widget-preview" />
    </section>
  );
}
