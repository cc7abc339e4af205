// Server-Sent Events for one run's page: every event the worker publishes for the run (a step
// written, a screenshot saved, the status moved) is passed on at once; the run is also re-read
// every few seconds so a change nobody announced (a cancel from another process, a lost message)
// still shows. The page redraws itself from /runs/:id/fragment on each event.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ViewerDeps } from './types.ts';

const HEARTBEAT_MS = 15_000;

export interface LiveStreams { open(request: FastifyRequest, reply: FastifyReply, organizationId: string, runId: string): Promise<void>; closeAll(): void }

export function liveStreams(deps: ViewerDeps): LiveStreams {
  const open = new Set<() => void>();
  return {
    async open(request, reply, organizationId, runId) {
      let last = await deps.viewer.fingerprint(organizationId, runId); // 404 before the stream starts
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const send = (data: object) => { if (!res.writableEnded) res.write(`event: run\ndata: ${JSON.stringify(data)}\n\n`); };
      let unlisten: (() => void) | undefined;
      const close = () => {
        open.delete(close);
        unlisten?.();
        clearInterval(poll);
        clearInterval(beat);
        if (!res.writableEnded) res.end();
      };
      open.add(close);
      request.raw.on('close', close);
      const poll = setInterval(() => {
        deps.viewer.fingerprint(organizationId, runId).then((now) => {
          if (now !== last) { last = now; send({ run_id: runId, kind: 'reread', at: Date.now() }); }
        }, () => { /* database away: the next tick tries again */ });
      }, deps.livePollMs ?? 2_000);
      const beat = setInterval(() => { if (!res.writableEnded) res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
      try {
        unlisten = await deps.runEvents.listen(runId, (event) => send(event));
      } catch {
        // Redis away: the periodic re-read still keeps the page current.
      }
      if (res.writableEnded) unlisten?.();
      send({ run_id: runId, kind: 'hello', at: Date.now() });
    },
    closeAll() { for (const close of [...open]) close(); },
  };
}
