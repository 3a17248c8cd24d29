// A stand-in for Customer.io's batch API on 127.0.0.1 (tests never reach the internet): records every
// messageId it accepts; GET /received lists them in arrival order, duplicates included.
import http from 'node:http';

const received = [];

http
  .createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messageIds: received }));
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        for (const call of JSON.parse(body).batch) received.push(call.messageId);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"not a batch"}');
      }
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
