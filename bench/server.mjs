// The local API the cases call: node:http on 127.0.0.1, answering at once from prepared buffers.
// Started by lib.mjs's startServer() in its own process; argv[2] is the size of the
// tickets/list page in bytes (0: a small page). Reports its port over IPC.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { listBody, maxInWindow, ticket } from './lib.mjs';

const JSON_TYPE = 'application/json; charset=utf-8';
const token = Buffer.from(JSON.stringify({ access_token: 'bench-token-' + 'x'.repeat(200), token_type: 'bearer', expires_in: 10800 }));
const oneTicket = Buffer.from(JSON.stringify(ticket(160000001, 2))); // about 2.8 KB
const list = Buffer.from(Number(process.argv[2]) > 0 ? listBody(Number(process.argv[2])) : JSON.stringify({ tickets: [ticket(1)], paging: {} }));
const sent = Buffer.from(JSON.stringify({ guidTransactionId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', ticketId: 160000001 }));
let arrivals = [];
/** Extra latency before every protocols/send answer (ms), set with /__latency?ms=N. */
let latency = 0;

function answer(res, body, status = 200) {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const [path, query] = req.url.split('?');
  if (req.method === 'POST' && path === '/api/v1.2/protocols/send') arrivals.push(performance.now());
  // Read the request body completely before answering (keeps the connection reusable).
  req.resume();
  req.on('end', () => {
    if (path === '/api/v1.2/token/get' && req.method === 'POST') return answer(res, token);
    if (path.startsWith('/api/v1.2/tickets/get/')) return answer(res, oneTicket);
    if (path === '/api/v1.2/tickets/list') return answer(res, list);
    if (path === '/api/v1.2/protocols/send') return latency ? setTimeout(() => answer(res, sent), latency) : answer(res, sent);
    if (path === '/__latency') {
      latency = Number(new URLSearchParams(query).get('ms')) || 0;
      return answer(res, Buffer.from('{}'));
    }
    if (path === '/__stats') {
      const q = new URLSearchParams(query);
      const perMs = Number(q.get('perMs')) || 1000;
      const requests = Number(q.get('requests')) || 1;
      const body = {
        count: arrivals.length,
        spanMs: arrivals.at(-1) - arrivals[0],
        // The shortest time in which requests + 1 arrived: under a limit of `requests` per
        // `perMs`, it must be at least perMs.
        minSpanMs: arrivals.length > requests ? Math.min(...arrivals.slice(requests).map((t, i) => t - arrivals[i])) : null,
        maxInWindow: maxInWindow(arrivals, perMs),
        per100ms: arrivals.reduce((h, t) => ((h[Math.floor((t - arrivals[0]) / 100)] += 1), h), Array(Math.ceil((arrivals.at(-1) - arrivals[0] + 1) / 100) || 0).fill(0)),
      };
      arrivals = [];
      return answer(res, Buffer.from(JSON.stringify(body)));
    }
    answer(res, Buffer.from('{"message":"not found"}'), 404);
  });
});
server.keepAliveTimeout = 60_000;
// A deep accept queue: a bulk burst opens a connection per request (1,000 at once).
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
