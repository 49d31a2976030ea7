// The agent desktop: presence bar, offers as notifications, chat tabs and voice calls in one place,
// and the contact's journey. Live events come from the authenticated socket.io default namespace
// (room user:<id>, server/realtime/acd-events.ts); the REST API is the source of truth on load.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io, type Socket } from 'socket.io-client';
import { describeError } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { useToast } from '../ui/Toasts.tsx';
import { ChatConversation, type ChatLive } from './ChatConversation.tsx';
import { DesktopApi } from './desktopApi.ts';
import { JourneyPanel } from './JourneyPanel.tsx';
import {
  chatInteractionId,
  isUndisposedChat,
  mergeRestoredWork,
  parseChatEvent,
  parseMessage,
  parseOffer,
  parsePresence,
  workFromOffer,
  workKey,
  type Interaction,
  type Offer,
  type PauseReason,
  type Presence,
  type Work,
} from './model.ts';
import { OfferNotifications } from './OfferNotifications.tsx';
import { PendingMessages } from './PendingMessages.tsx';
import { PresenceBar, type PresenceActions } from './PresenceBar.tsx';
import { VoiceCall } from './VoiceCall.tsx';
import { AGENT_CHAT_EVENTS } from '../../../contracts/chat-widget.ts';
import './desktop.css';

const EMPTY_LIVE: ChatLive = { pushed: [], visitorTyping: false, closedBy: null };

export function DesktopPage() {
  const { t } = useTranslation();
  const { api, account } = useSession();
  const toast = useToast();
  const desk = useMemo(() => new DesktopApi(api), [api]);
  const [presence, setPresence] = useState<Presence | null>(null);
  const [reasons, setReasons] = useState<PauseReason[]>([]);
  const [busy, setBusy] = useState(false);
  const [offers, setOffers] = useState<Offer[]>([]);
  const [works, setWorks] = useState<Work[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [interactions, setInteractions] = useState<Record<number, Interaction>>({});
  const [live, setLive] = useState<Record<number, ChatLive>>({});
  const [queueNames, setQueueNames] = useState<Record<number, string | null>>({});
  const [connected, setConnected] = useState(false);
  const offersRef = useRef<Offer[]>([]);
  offersRef.current = offers;

  const fail = useCallback((text: string) => toast('error', text), [toast]);

  const refreshInteractions = useCallback(() => {
    desk
      .openInteractions()
      .then((list) => {
        // Merged, not replaced: closed chats restored for their disposition are not in this list.
        setInteractions((current) => ({ ...current, ...Object.fromEntries(list.map((i) => [i.id, i])) }));
        // Chats accepted before a reload come back as tabs (their queue entry comes from GET /api/me/entries).
        setWorks((current) => {
          const known = new Set(current.map(workKey));
          const restored = list
            .filter((i) => !known.has(`chat:${i.id}`))
            .map<Work>((i) => ({ entryId: 0, queueId: i.queueId ?? 0, channel: i.channel, caller: i.contact.name, interactionRef: `chat:${i.id}`, interactionId: i.id }));
          return restored.length ? [...current, ...restored] : current;
        });
      })
      .catch(() => undefined); // the chat API may not be deployed: voice still works
  }, [desk]);

  const addWork = useCallback((work: Work) => {
    setWorks((current) => (current.some((w) => workKey(w) === workKey(work)) ? current : [...current, work]));
    setActive(workKey(work));
  }, []);

  // Queue names for labels; an agent usually cannot read queues, then the id is shown.
  const wantQueue = useCallback(
    (queueId: number) => {
      if (queueId <= 0) return;
      setQueueNames((names) => {
        if (queueId in names) return names;
        // A name learnt meanwhile (from the agent's own entries) is kept when the queue is not readable.
        desk
          .queueName(queueId)
          .then((name) => setQueueNames((n) => (name === null && n[queueId] ? n : { ...n, [queueId]: name })))
          .catch(() => undefined);
        return { ...names, [queueId]: null };
      });
    },
    [desk],
  );
  const queueLabel = useCallback(
    (queueId: number) =>
      queueId <= 0 ? t('desktop.queue.unknown') : queueNames[queueId] ? t('desktop.queue.named', { name: queueNames[queueId], id: queueId }) : t('desktop.queue.id', { id: queueId }),
    [queueNames, t],
  );

  useEffect(() => {
    desk.presence().then(setPresence).catch((e: unknown) => fail(describeError(e)));
    desk.pauseReasons().then(setReasons).catch(() => undefined);
    desk
      .pendingOffers()
      .then((list) => {
        list.forEach((o) => wantQueue(o.queueId));
        setOffers((current) => [...current, ...list.filter((o) => !current.some((c) => c.offerId === o.offerId))]);
      })
      .catch(() => undefined);
    refreshInteractions();
    // After a reload: the chats and calls accepted and not finished, and calls still waiting for their disposition.
    desk
      .openEntries()
      .then((list) => {
        const names = Object.fromEntries(list.filter((e) => e.queueName !== null).map((e) => [e.work.queueId, e.queueName]));
        setQueueNames((current) => ({ ...current, ...names }));
        setWorks((current) => mergeRestoredWork(current, list.map((e) => e.work)));
      })
      .catch((e: unknown) => fail(t('desktop.restoreFailed', { reason: describeError(e) })));
    // Chats the visitor closed while the agent had not given a disposition yet: the tab stays for it.
    desk
      .closedInteractions()
      .then((list) => {
        const waiting = list.filter((i) => isUndisposedChat(i, Date.now()));
        if (waiting.length === 0) return;
        setInteractions((current) => ({ ...Object.fromEntries(waiting.map((i) => [i.id, i])), ...current }));
        setWorks((current) =>
          mergeRestoredWork(
            current,
            waiting.map<Work>((i) => ({ entryId: 0, queueId: i.queueId ?? 0, channel: i.channel, caller: i.contact.name, interactionRef: `chat:${i.id}`, interactionId: i.id })),
          ),
        );
      })
      .catch(() => undefined); // the chat API may not be deployed: voice still works
  }, [desk, fail, refreshInteractions, wantQueue, t]);

  useEffect(() => {
    const token = api.tokens.get();
    if (token === null) return;
    const socket: Socket = io({ auth: { token }, transports: ['websocket'] });
    socket.on('connect', () => setConnected(true));
    socket.on('disconnect', () => setConnected(false));
    socket.on('acd:presence', (v: unknown) => {
      const p = parsePresence(v);
      if (p !== null) setPresence(p);
    });
    socket.on('acd:offer', (v: unknown) => {
      const offer = parseOffer(v);
      if (offer === null) return;
      wantQueue(offer.queueId);
      setOffers((current) => (current.some((o) => o.offerId === offer.offerId) ? current : [...current, offer]));
    });
    socket.on('acd:offer-ended', (v: unknown) => {
      const id = typeof v === 'object' && v !== null ? (v as { offerId?: unknown }).offerId : undefined;
      setOffers((current) => current.filter((o) => o.offerId !== id));
    });
    socket.on('acd:accepted', (v: unknown) => {
      if (typeof v !== 'object' || v === null) return;
      const e = v as Record<string, unknown>;
      if (typeof e.offerId !== 'number' || typeof e.entryId !== 'number') return;
      // Auto-answered offers arrive here without a click: open them like accepted ones.
      const offer = offersRef.current.find((o) => o.offerId === e.offerId);
      const interactionRef = typeof e.interactionRef === 'string' ? e.interactionRef : (offer?.interactionRef ?? '');
      addWork({
        entryId: e.entryId,
        queueId: offer?.queueId ?? 0,
        channel: typeof e.channel === 'string' ? e.channel : (offer?.channel ?? ''),
        caller: offer?.caller ?? '',
        interactionRef,
        interactionId: chatInteractionId(interactionRef),
      });
      setOffers((current) => current.filter((o) => o.offerId !== e.offerId));
      refreshInteractions();
    });
    const pushMessage = (v: unknown, field: 'message' | 'note') => {
      const ev = parseChatEvent(v);
      const parsed = ev ? parseMessage(ev.payload[field]) : null;
      if (ev === null || parsed === null) return;
      const message = field === 'note' ? { ...parsed, secret: true } : parsed;
      setLive((all) => {
        const cur = all[ev.interactionId] ?? EMPTY_LIVE;
        return { ...all, [ev.interactionId]: { ...cur, pushed: [...cur.pushed, message].slice(-500), visitorTyping: message.from === 'visitor' ? false : cur.visitorTyping } };
      });
    };
    socket.on(AGENT_CHAT_EVENTS.message, (v: unknown) => pushMessage(v, 'message'));
    socket.on(AGENT_CHAT_EVENTS.note, (v: unknown) => pushMessage(v, 'note'));
    socket.on(AGENT_CHAT_EVENTS.typing, (v: unknown) => {
      const ev = parseChatEvent(v);
      if (ev === null) return;
      setLive((all) => ({ ...all, [ev.interactionId]: { ...(all[ev.interactionId] ?? EMPTY_LIVE), visitorTyping: ev.payload.typing === true } }));
    });
    socket.on(AGENT_CHAT_EVENTS.closed, (v: unknown) => {
      const ev = parseChatEvent(v);
      if (ev === null) return;
      const by = typeof ev.payload.by === 'string' ? ev.payload.by : t('desktop.otherSide');
      setLive((all) => ({ ...all, [ev.interactionId]: { ...(all[ev.interactionId] ?? EMPTY_LIVE), closedBy: by, visitorTyping: false } }));
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [api, addWork, refreshInteractions, wantQueue, t]);

  const run = useCallback(
    async (action: () => Promise<Presence>) => {
      setBusy(true);
      try {
        setPresence(await action());
      } catch (e) {
        fail(describeError(e));
      } finally {
        setBusy(false);
      }
    },
    [fail],
  );
  const actions: PresenceActions = {
    login: (device) => void run(() => desk.login(device)),
    logout: () => void run(() => desk.logout()),
    pause: (reason, channel) => void run(() => desk.pause(reason, channel ? [channel] : undefined)),
    unpause: (channel) => void run(() => desk.unpause(channel ? [channel] : undefined)),
  };

  const accept = async (offer: Offer) => {
    try {
      await desk.accept(offer.offerId);
      setOffers((current) => current.filter((o) => o.offerId !== offer.offerId));
      addWork(workFromOffer(offer));
      refreshInteractions();
    } catch (e) {
      setOffers((current) => current.filter((o) => o.offerId !== offer.offerId));
      fail(describeError(e));
    }
  };
  const reject = async (offer: Offer) => {
    try {
      await desk.reject(offer.offerId);
    } catch (e) {
      fail(describeError(e));
    } finally {
      setOffers((current) => current.filter((o) => o.offerId !== offer.offerId));
    }
  };
  const removeWork = (key: string) => {
    setWorks((current) => current.filter((w) => workKey(w) !== key));
    setActive((a) => (a === key ? null : a));
  };

  const current = works.find((w) => workKey(w) === active) ?? works[0] ?? null;
  const currentInteraction = current?.interactionId != null ? (interactions[current.interactionId] ?? null) : null;
  const chats = works.filter((w) => w.interactionId !== null).length;

  return (
    <div className="page desktop">
      <div className="page-header">
        <h1>{t('desktop.title')}</h1>
        <span className={`chip ${connected ? 'chip-ok' : 'chip-warn'}`} data-testid="socket-state">
          {connected ? t('desktop.live') : t('desktop.connecting')}
        </span>
        <span className="muted small">{account.fullName || account.username}</span>
      </div>
      <PresenceBar presence={presence} reasons={reasons} busy={busy} actions={actions} />
      <OfferNotifications offers={offers} queueLabel={queueLabel} onAccept={(o) => void accept(o)} onReject={(o) => void reject(o)} />
      <PendingMessages
        desk={desk}
        onError={fail}
        onTaken={(i) => {
          setInteractions((all) => ({ ...all, [i.id]: i }));
          addWork({ entryId: 0, queueId: i.queueId ?? 0, channel: i.channel, caller: i.contact.name, interactionRef: `chat:${i.id}`, interactionId: i.id });
        }}
      />
      <div className="desktop-work">
        <div className="desktop-main">
          <div className="tabs" role="tablist" aria-label={t('desktop.openWork', { count: chats })}>
            {works.map((w) => {
              const key = workKey(w);
              const selected = current !== null && workKey(current) === key;
              const name =
                w.interactionId !== null
                  ? interactions[w.interactionId]?.contact.name || w.caller || t('desktop.chatTab', { id: w.interactionId })
                  : t('desktop.callTab', { caller: w.caller || `#${w.entryId}` });
              return (
                <button key={key} type="button" role="tab" aria-selected={selected} className={`tab${selected ? ' tab-active' : ''}`} onClick={() => setActive(key)}>
                  {name}
                </button>
              );
            })}
          </div>
          {current === null ? (
            <div className="empty-state desktop-empty">
              <p>{t('desktop.noWork')}</p>
            </div>
          ) : current.interactionId !== null ? (
            <ChatConversation
              key={workKey(current)}
              desk={desk}
              interactionId={current.interactionId}
              interaction={currentInteraction}
              live={live[current.interactionId] ?? EMPTY_LIVE}
              onClosed={() => {
                toast('success', t('desktop.chatClosed_toast'));
                removeWork(workKey(current));
              }}
              onError={fail}
              onNotice={(text) => toast('success', text)}
              onDismiss={() => {
                const done = current;
                // Finishing the queue entry frees the chat slot the engine counts for capacity.
                if (done.entryId > 0) desk.finish(done.entryId, '', '').catch((e: unknown) => fail(describeError(e)));
                removeWork(workKey(done));
              }}
            />
          ) : (
            <VoiceCall
              key={workKey(current)}
              desk={desk}
              work={current}
              queueLabel={queueLabel(current.queueId)}
              onFinished={() => {
                toast('success', t('desktop.dispositionSaved_toast'));
                removeWork(workKey(current));
              }}
              onError={fail}
            />
          )}
        </div>
        <JourneyPanel desk={desk} contactId={currentInteraction?.contact.id ?? null} />
      </div>
    </div>
  );
}
