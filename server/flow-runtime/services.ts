// The real service ports the flow blocks use on a server (HTTP requests, e-mail). Ports that are not
// configured stay absent: their blocks take their error exits with "service not configured".
import type { AgentsPort, HttpPort, HttpRequest, HttpResponse, MailPort, QueuePort, Services } from '../../flows/services.ts';
import type { Mailer } from '../mail/mailer.ts';

export const fetchHttpPort: HttpPort = {
  async request(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined && req.method !== 'GET' ? { body: req.body } : {}),
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'follow',
    });
    // Read at most maxResponseBytes: a flow must not pull a huge download into memory.
    const reader = res.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    let truncated = false;
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (size + value.length > req.maxResponseBytes) {
          chunks.push(value.subarray(0, req.maxResponseBytes - size));
          truncated = true;
          await reader.cancel();
          break;
        }
        chunks.push(value);
        size += value.length;
      }
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: Buffer.concat(chunks).toString('utf8'), ...(truncated ? { truncated } : {}) };
  },
};

export function mailPort(mailer: Mailer): MailPort {
  return {
    async send(message) {
      // The mailer has one account for now; per-account SMTP arrives with the e-mail channel.
      await mailer.send({ to: [...message.to, ...message.cc].join(', '), subject: message.subject, text: message.text });
    },
  };
}

export function serverFlowServices(ports: { mailer: Mailer; agents?: AgentsPort; queue?: QueuePort }): Services {
  return { http: fetchHttpPort, mail: mailPort(ports.mailer), ...(ports.agents ? { agents: ports.agents } : {}), ...(ports.queue ? { queue: ports.queue } : {}) };
}
