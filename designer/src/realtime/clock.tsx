// The board's counters tick in the browser, with no message from the server. One shared one-second
// timer writes the new text straight into the text node of each counter on screen: with 500 agents
// there are some 1,500 counters, and re-rendering them all through React every second (and laying
// the table out again around them) would cost far more than the text itself. Each counter is a
// fixed-size, contained box (realtime.css), so its text changing never re-lays the table out.
// React still renders a counter when its start time changes; the timer keeps the text current in
// between. Times come from the server's clock; `ServerClockOffset` corrects the
// browser's clock by the difference seen on the last snapshot, so "paused for 0:05" does not start
// at -0:42 on a machine whose clock is off.
import { createContext, memo, useContext, useEffect, useRef } from 'react';
import { formatDuration, spokenDuration } from './format.ts';

const TICK_MS = 1000;
const HOUR_MS = 3_600_000;
/** Every counter on the page, and whether it is on screen: off-screen counters wait until they are seen. */
const counters = new Map<Element, { update: (now: number) => void; visible: boolean }>();
let timer: ReturnType<typeof setInterval> | null = null;
let observer: IntersectionObserver | null = null;

function visibility(): IntersectionObserver | null {
  if (observer === null && typeof IntersectionObserver !== 'undefined') {
    observer = new IntersectionObserver((entries) => {
      const now = Date.now();
      for (const entry of entries) {
        const counter = counters.get(entry.target);
        if (counter === undefined) continue;
        counter.visible = entry.isIntersecting;
        if (counter.visible) counter.update(now);
      }
    });
  }
  return observer;
}

function onTick(element: Element, update: (now: number) => void): () => void {
  const watcher = visibility();
  // Without IntersectionObserver every counter ticks.
  counters.set(element, { update, visible: watcher === null });
  watcher?.observe(element);
  timer ??= setInterval(() => {
    const now = Date.now();
    for (const counter of counters.values()) if (counter.visible) counter.update(now);
  }, TICK_MS);
  return () => {
    counters.delete(element);
    watcher?.unobserve(element);
    if (counters.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Milliseconds to add to the browser's clock to get the server's. */
export const ServerClockOffset = createContext(0);

/** Time since `since` (an ISO string from the server), ticking. Renders nothing without a start. */
export const Elapsed = memo(function Elapsed({ since, label }: { since: string | null; label?: string }) {
  const offset = useContext(ServerClockOffset);
  const element = useRef<HTMLTimeElement>(null);
  const start = since === null ? Number.NaN : Date.parse(since);

  useEffect(() => {
    const el = element.current;
    if (el === null || Number.isNaN(start)) return;
    return onTick(el, (now) => {
      const ms = now + offset - start;
      const text = formatDuration(ms);
      // The text node React created is kept (only its value changes), so React's own later updates still land.
      const node = el.firstChild;
      if (node !== null && node.nodeValue !== text) {
        node.nodeValue = text;
        if (el.classList.contains('elapsed-long') !== ms >= HOUR_MS) el.classList.toggle('elapsed-long');
        el.title = label ? `${label} ${spokenDuration(ms)}` : spokenDuration(ms);
      }
    });
  }, [start, offset, label]);

  if (since === null || Number.isNaN(start)) return null;
  const ms = Date.now() + offset - start;
  return (
    <time ref={element} className={ms >= HOUR_MS ? 'elapsed elapsed-long' : 'elapsed'} dateTime={since} title={label ? `${label} ${spokenDuration(ms)}` : spokenDuration(ms)}>
      {formatDuration(ms)}
    </time>
  );
});
