// Entry of tandem-chat.js. The customer's page has one tag:
//   <script src="https://tandem.example/chat/tandem-chat.js" data-tandem-key="KEY" async></script>
// The server to talk to is the origin the script itself came from, so the snippet carries no URL.
import { io } from 'socket.io-client';
import { WIDGET_EVENTS, WIDGET_NAMESPACE, type WidgetRefusal } from '../../../contracts/chat-widget.ts';
import type { ChatTransport } from './controller.ts';
import { loadToken, saveToken } from './storage.ts';
import { ChatWidget } from './widget.ts';

function findScript(): HTMLScriptElement | null {
  // `currentScript` is set for async scripts too, while they run; the query is for odd loaders.
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.tandemKey) return current;
  return document.querySelector<HTMLScriptElement>('script[data-tandem-key]');
}

function start(script: HTMLScriptElement): ChatWidget | null {
  const key = script.dataset.tandemKey ?? '';
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(key)) {
    console.warn('Tandem chat: the script tag has no valid data-tandem-key');
    return null;
  }
  const serverOrigin = new URL(script.src, location.href).origin;
  const auth: { key: string; visitorToken?: string } = { key };
  const token = loadToken(key);
  if (token !== null) auth.visitorToken = token;
  const socket = io(`${serverOrigin}${WIDGET_NAMESPACE}`, {
    auth,
    // WebSocket first; long-polling when a proxy on the visitor's network blocks WebSockets.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelayMax: 10_000,
  });
  const transport: ChatTransport = {
    on: (event, handler) => {
      socket.on(event, handler);
    },
    emit: (event, payload, ack) => {
      // Offline while reconnecting: answer at once rather than queue actions the visitor would not expect.
      if (!socket.connected) ack({ ok: false, error: { code: 'DISCONNECTED', message: 'Connection lost, reconnecting… please try again in a moment' } });
      else socket.timeout(15_000).emit(event, payload, (err: unknown, result: unknown) => ack(err ? { ok: false, error: { code: 'TIMEOUT', message: 'The server did not answer, please try again' } } : result));
    },
    close: () => socket.close(),
  };
  // A stored token the server no longer knows (its chat was purged, another website's token): forget
  // it and connect as a new visitor rather than retrying the refused token for ever.
  socket.on('connect_error', (err: Error) => {
    if (err.message === ('INVALID_VISITOR_TOKEN' satisfies WidgetRefusal) && auth.visitorToken !== undefined) {
      delete auth.visitorToken;
      saveToken(key, null);
      socket.connect();
    }
  });
  // A new visitorToken from `session` must be sent on the next reconnect, not the one we started with.
  socket.on(WIDGET_EVENTS.session, (s: unknown) => {
    const t = typeof s === 'object' && s !== null ? (s as { visitorToken?: unknown }).visitorToken : undefined;
    if (typeof t === 'string') auth.visitorToken = t;
  });
  return new ChatWidget({ websiteKey: key, serverOrigin, transport });
}

function boot(): void {
  const w = window as unknown as { __tandemChat?: ChatWidget | null };
  if (w.__tandemChat !== undefined) return; // the snippet pasted twice must not make two widgets
  const script = findScript();
  if (script === null) return;
  const run = (): void => {
    w.__tandemChat = start(script);
  };
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run, { once: true });
}

boot();
